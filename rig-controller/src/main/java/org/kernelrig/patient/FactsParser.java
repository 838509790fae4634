package org.kernelrig.patient;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.kernelrig.patient.PatientFacts.Address;
import org.kernelrig.patient.PatientFacts.NetInterface;
import org.kernelrig.patient.PatientFacts.NetconsoleState;
import org.kernelrig.patient.PatientFacts.Route;

/**
 * Reads the output of {@link FactsScript} into {@link PatientFacts}. Pure:
 * tested on outputs of iproute2 and of busybox. The board's output is not
 * trusted: unexpected lines are skipped, never fatal.
 */
public final class FactsParser {

    static final String SECTION = "@@rig:";
    private static final Pattern ADDRESS = Pattern.compile("^\\s+inet6?\\s+([0-9a-fA-F.:]+)(?:/\\d+)?\\s(.*)");
    private static final Pattern SCOPE = Pattern.compile("\\bscope\\s+(\\w+)");
    /** Older busybox prints the flags it has no word for as hex: {@code flags 08}. */
    private static final Pattern FLAGS = Pattern.compile("\\bflags\\s+([0-9a-fA-F]{1,8})\\b");
    private static final int IFA_F_DADFAILED = 0x08;
    private static final int IFA_F_DEPRECATED = 0x20;
    private static final int IFA_F_TENTATIVE = 0x40;
    private static final Pattern LINK_HEADER = Pattern.compile("^\\d+:\\s+([^:@\\s]+)(?:@\\S+)?:.*");
    private static final Pattern MAC = Pattern.compile("lladdr\\s+([0-9a-fA-F:]{17})");

    private FactsParser() {
    }

    public static PatientFacts parse(String output) {
        Map<String, List<String>> sections = sections(output);
        String release = first(sections, "release");
        String version = first(sections, "version");
        String machine = first(sections, "machine");
        int level = consoleLevel(first(sections, "printk"));
        Map<String, List<Address>> addresses = addresses(sections.getOrDefault("addresses", List.of()));
        List<NetInterface> interfaces = new ArrayList<>();
        for (String line : sections.getOrDefault("interfaces", List.of())) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4) {
                interfaces.add(new NetInterface(f[0], f[1], f[2], f[3].equals("wireless"),
                        addresses.getOrDefault(f[0], List.of())));
            }
        }
        Route route = route(sections.getOrDefault("route", List.of()));
        List<String> netconsole = sections.getOrDefault("netconsole", List.of());
        List<String> targets = netconsole.stream().filter(l -> l.startsWith("target ")).map(l -> l.substring(7).trim())
                .toList();
        NetconsoleState state = new NetconsoleState(netconsole.contains("loaded"), netconsole.contains("builtin"),
                netconsole.contains("available") || netconsole.contains("builtin"), netconsole.contains("configfs"),
                targets);
        return new PatientFacts(release, version, machine, level, interfaces, route, state);
    }

    /**
     * The route in {@code ip route get} output: {@code 10.0.2.2 via 192.0.2.1 dev eth0 src 192.0.2.2 uid 0}, or
     * for IPv6 {@code 2001:db8:9::1 from :: via fe80::1 dev eth0 src 2001:db8:1::8 metric 1024 pref medium}.
     */
    static Route route(List<String> lines) {
        for (String line : lines) {
            String[] words = line.trim().split("\\s+");
            String device = null;
            String source = null;
            String gateway = null;
            for (int i = 0; i + 1 < words.length; i++) {
                switch (words[i]) {
                    case "dev" -> device = words[i + 1];
                    case "src" -> source = words[i + 1];
                    case "via" -> gateway = words[i + 1];
                    default -> { }
                }
            }
            if (device != null) {
                return new Route(device, source, gateway);
            }
        }
        return null;
    }

    /** The MAC in {@code ip neigh show} output, or null. */
    public static String neighbourMac(String output) {
        Matcher m = MAC.matcher(output);
        return m.find() ? m.group(1).toLowerCase(java.util.Locale.ROOT) : null;
    }

    /** The addresses of each interface in {@code ip addr show} output (iproute2 or busybox). */
    static Map<String, List<Address>> addresses(List<String> lines) {
        Map<String, List<Address>> byInterface = new LinkedHashMap<>();
        String current = null;
        for (String line : lines) {
            Matcher header = LINK_HEADER.matcher(line);
            if (header.matches()) {
                current = header.group(1);
                byInterface.putIfAbsent(current, new ArrayList<>());
                continue;
            }
            Matcher address = ADDRESS.matcher(line + " ");
            if (current != null && address.matches() && byInterface.get(current).size() < 256) {
                byInterface.get(current).add(address(address.group(1), address.group(2)));
            }
        }
        return byInterface;
    }

    private static Address address(String address, String rest) {
        Matcher scope = SCOPE.matcher(rest);
        int flags = 0;
        Matcher hex = FLAGS.matcher(rest);
        if (hex.find()) {
            flags = (int) Long.parseLong(hex.group(1), 16);
        }
        List<String> words = List.of(rest.trim().split("\\s+"));
        boolean dadFailed = words.contains("dadfailed") || (flags & IFA_F_DADFAILED) != 0;
        boolean tentative = words.contains("tentative") || (flags & IFA_F_TENTATIVE) != 0;
        boolean deprecated = words.contains("deprecated") || (flags & IFA_F_DEPRECATED) != 0;
        return new Address(address, scope.find() ? scope.group(1) : "global", tentative, dadFailed, deprecated);
    }

    private static int consoleLevel(String printk) {
        if (printk == null) {
            return -1;
        }
        String[] fields = printk.trim().split("\\s+");
        try {
            return Integer.parseInt(fields[0]);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static Map<String, List<String>> sections(String output) {
        Map<String, List<String>> sections = new LinkedHashMap<>();
        List<String> current = null;
        for (String line : output.split("\n")) {
            String clean = line.replace("\r", "");
            if (clean.startsWith(SECTION) && clean.endsWith("@@")) {
                current = sections.computeIfAbsent(clean.substring(SECTION.length(), clean.length() - 2),
                        k -> new ArrayList<>());
            } else if (current != null && !clean.isBlank() && current.size() < 10_000) {
                current.add(clean.length() > 4096 ? clean.substring(0, 4096) : clean);
            }
        }
        return sections;
    }

    private static String first(Map<String, List<String>> sections, String name) {
        List<String> lines = sections.get(name);
        return lines == null || lines.isEmpty() ? null : lines.get(0).trim();
    }
}
