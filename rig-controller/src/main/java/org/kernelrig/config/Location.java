package org.kernelrig.config;

/** A place in a configuration file, 1-based, as editors show it. */
public record Location(String file, int line, int column) {

    @Override
    public String toString() {
        return line > 0 ? file + ":" + line + ":" + column : file;
    }
}
