package org.kernelrig.run;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.kernelrig.report.KcidbReport;
import org.kernelrig.suite.KnownCrash;
import org.kernelrig.suite.KnownCrashes;

/** The entries of known-crashes.yaml as KCIDB issues, and the crashes that are one of them as incidents. */
public final class KnownCrashIssues {

    private KnownCrashIssues() {
    }

    /**
     * {@code base} with {@code known} as its issues.
     *
     * @param read when the file was read: the issues' version, so that a later submission of an edited file wins
     */
    public static KcidbReport attach(KcidbReport base, KnownCrashes known, Instant read) {
        List<KcidbReport.Issue> issues = new ArrayList<>();
        for (KnownCrash entry : known.entries()) {
            Map<String, Object> misc = new LinkedHashMap<>();
            misc.put("fingerprint", entry.fingerprint());
            misc.put("title", entry.title() == null ? null : entry.title().pattern());
            misc.put("kind", entry.kind());
            misc.put("debian_bug", entry.debianBug() > 0 ? entry.debianBug() : null);
            issues.add(new KcidbReport.Issue(entry.name(), entry.bugUrl(), entry.note(), misc));
        }
        return base.withIssues(issues, crash -> known.match(crash).map(KnownCrash::name), read);
    }
}
