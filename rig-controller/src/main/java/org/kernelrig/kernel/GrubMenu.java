package org.kernelrig.kernel;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a GRUB configuration as Debian's {@code update-grub} writes it, to
 * name the menu entry of one kernel release for {@code grub-reboot}: the
 * entry boots once, so a kernel that does not come up leaves the board
 * booting its usual kernel at the next power cycle.
 */
public final class GrubMenu {

    private static final Pattern ENTRY = Pattern.compile(
            "^\\s*(menuentry|submenu)\\s+(?:'([^']*)'|\"([^\"]*)\")(?:.*?\\$menuentry_id_option\\s+'([^']*)')?");

    private GrubMenu() {
    }

    /**
     * The {@code grub-reboot} argument for {@code release}'s normal entry
     * ({@code submenu-id>entry-id}, titles where an entry has no id), or null
     * when the configuration has no such entry.
     */
    public static String entryFor(String grubCfg, String release) {
        String submenu = null;
        int depth = 0;
        int submenuDepth = -1;
        for (String line : grubCfg.split("\n")) {
            Matcher m = ENTRY.matcher(line);
            if (m.find()) {
                String title = m.group(2) != null ? m.group(2) : m.group(3);
                String id = m.group(4) != null ? m.group(4) : title;
                if (m.group(1).equals("submenu")) {
                    submenu = id;
                    submenuDepth = depth;
                } else if (title.endsWith(" " + release)) {
                    return submenu != null && depth > submenuDepth ? submenu + ">" + id : id;
                }
            }
            depth += count(line, '{') - count(line, '}');
            if (submenu != null && depth <= submenuDepth) {
                submenu = null;
                submenuDepth = -1;
            }
        }
        return null;
    }

    private static int count(String line, char c) {
        // Braces inside quoted titles or ${variables} would miscount; Debian's entries put neither on their lines.
        int n = 0;
        String code = line.replaceAll("'[^']*'", "").replaceAll("\\$\\{[^}]*}", "");
        for (int i = 0; i < code.length(); i++) {
            if (code.charAt(i) == c) {
                n++;
            }
        }
        return n;
    }
}
