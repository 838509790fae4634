package org.kernelrig.run;

/** The phases of a run, in the order they happen; their names are those of the report and the progress lines. */
public enum Phase {
    LOCK("lock"),
    POWER_ON("power-on"),
    SERIAL("serial"),
    KERNEL("kernel"),
    CONNECT("connect"),
    NETCONSOLE("netconsole"),
    TRIGGER("trigger"),
    CAPTURE("capture"),
    RECOVER("recover"),
    PSTORE("pstore");

    private final String id;

    Phase(String id) {
        this.id = id;
    }

    /** The name in report.json, run.log and the progress lines. */
    public String id() {
        return id;
    }

    @Override
    public String toString() {
        return id;
    }
}
