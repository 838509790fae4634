package org.kernelrig.symbols;

/**
 * A place in the source, as the debug info names it.
 *
 * @param function the function the code belongs to (an inlined one for all but the last of a chain), or null
 * @param file     the source file as the compiler recorded it, or null when unknown
 * @param line     its line, 0 when unknown
 */
public record SourceLocation(String function, String file, int line) {

    public boolean known() {
        return file != null && line > 0;
    }

    /** {@code file:line}. */
    @Override
    public String toString() {
        return (file == null ? "??" : file) + ":" + (line > 0 ? String.valueOf(line) : "?");
    }
}
