package org.kernelrig.run;

import java.util.LinkedHashMap;
import java.util.Map;

import org.kernelrig.netconsole.NetconsoleReceiver;
import org.kernelrig.netconsole.PatientStatistics;
import org.kernelrig.netconsole.ReceiverStatistics;

/** The netconsole figures a run report shows for its patient. */
final class ReceiverCounters {

    /** Datagrams the kernel dropped on the doctor's socket: they never reached rig. */
    static final String LOST_BEFORE_READ = "lost-before-read";

    private ReceiverCounters() {
    }

    static Map<String, Long> of(NetconsoleReceiver receiver, String patient) {
        ReceiverStatistics all = receiver.statistics();
        Map<String, Long> counters = new LinkedHashMap<>();
        PatientStatistics own = all.patients().stream().filter(p -> p.patient().equals(patient)).findFirst().orElse(null);
        counters.put("datagrams", own == null ? 0 : own.datagrams());
        counters.put("bytes", own == null ? 0 : own.bytes());
        counters.put("missing", own == null ? 0 : own.missing());
        counters.put("gaps", own == null ? 0 : own.gapsTotal());
        counters.put("malformed", own == null ? 0 : own.malformed());
        counters.put("dropped", all.dropped());
        counters.put("foreign", all.foreign());
        return counters;
    }
}
