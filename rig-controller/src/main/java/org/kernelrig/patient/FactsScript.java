package org.kernelrig.patient;

import java.time.Duration;

import org.kernelrig.LabException;

/**
 * Gathers {@link PatientFacts} in one SSH round trip with a script that
 * works with iproute2 and with busybox, printing one section per fact.
 */
public final class FactsScript {

    private static final Duration LIMIT = Duration.ofSeconds(30);

    private FactsScript() {
    }

    /** The script; {@code doctor} is an IP address, quoted all the same. */
    static String script(String doctor) {
        String s = FactsParser.SECTION;
        return String.join("\n",
                "echo '" + s + "release@@'; uname -r",
                "echo '" + s + "version@@'; uname -v",
                "echo '" + s + "machine@@'; uname -m",
                "echo '" + s + "printk@@'; cat /proc/sys/kernel/printk",
                "echo '" + s + "interfaces@@'",
                "for d in /sys/class/net/*; do n=${d##*/}; kind=wired;"
                        + " if [ -d \"$d/wireless\" ] || [ -e \"$d/phy80211\" ]; then kind=wireless; fi;"
                        + " echo \"$n $(cat \"$d/operstate\" 2>/dev/null || echo unknown)"
                        + " $(cat \"$d/address\" 2>/dev/null || echo -) $kind\"; done",
                "echo '" + s + "addresses@@'; ip addr show 2>/dev/null",
                "echo '" + s + "route@@'; ip route get " + ShellQuote.quote(doctor) + " 2>&1",
                "echo '" + s + "netconsole@@'",
                "[ -d /sys/module/netconsole ] && echo loaded",
                "r=$(uname -r); grep -qs '/netconsole.ko' \"/lib/modules/$r/modules.builtin\" && echo builtin",
                "[ -n \"$(find \"/lib/modules/$r\" -name 'netconsole.ko*' 2>/dev/null | head -n 1)\" ] && echo available",
                "[ -d /sys/kernel/config/netconsole ] && echo configfs",
                "for t in /sys/kernel/config/netconsole/*; do [ -d \"$t\" ] && echo \"target ${t##*/}\"; done",
                "true");
    }

    public static PatientFacts collect(Patient patient, String doctor) throws LabException {
        CommandResult result = patient.runAsRoot(script(doctor), LIMIT);
        PatientFacts facts = FactsParser.parse(result.stdout());
        if (facts.release() == null) {
            throw new LabException("board " + patient.board() + ": cannot read facts about its system: "
                    + result.stderr().strip(), "is it a Linux system with a POSIX shell?");
        }
        return facts;
    }

    /** The MAC of {@code gateway} on {@code device}, after a ping so that the neighbour entry exists; or null. */
    public static String gatewayMac(Patient patient, String gateway, String device) throws LabException {
        String quotedGateway = ShellQuote.quote(gateway);
        CommandResult result = patient.runAsRoot("ping -c 1 -W 1 " + quotedGateway + " >/dev/null 2>&1;"
                + " ip neigh show " + quotedGateway + " dev " + ShellQuote.quote(device), LIMIT);
        return FactsParser.neighbourMac(result.stdout());
    }
}
