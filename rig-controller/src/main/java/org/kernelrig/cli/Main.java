package org.kernelrig.cli;

/** The {@code rig} command's entry point. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(Rig.commandLine().execute(args));
    }
}
