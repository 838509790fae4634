package org.kernelrig.crash;

/**
 * One console line after its transport and printk prefixes are taken off.
 *
 * @param number       1-based line number in the log
 * @param text         the kernel's message without timestamp, caller id, syslog or netconsole header;
 *                     for a questionable stack frame ({@code " ? foo+0x1/0x2"}) the part after the {@code ?}
 * @param context      who printed it: a caller id such as {@code T123} or {@code C1}
 *                     ({@code CONFIG_PRINTK_CALLER}), {@link #CONSOLE} when the line had only a timestamp,
 *                     or the empty string when it had none
 * @param questionable the line is a stack frame the unwinder was unsure about
 */
public record LogLine(int number, String text, String context, boolean questionable) {

    /** The context of a timestamped line without a caller id. */
    public static final String CONSOLE = "console";

    /** Whether the context is a caller id (a task {@code T..} or a CPU {@code C..}). */
    public boolean hasCallerId() {
        return !context.isEmpty() && !CONSOLE.equals(context);
    }
}
