package org.kernelrig.patient;

import java.time.Duration;

import org.kernelrig.LabException;

/** A board's running system, as rig drives it: commands, privileged commands, and triggers that may kill it. */
public interface Patient extends AutoCloseable {

    /** The board's name, for messages. */
    String board();

    /** Runs a shell command as the login user, with a time limit; a command that outlives it is a lab error. */
    CommandResult run(String command, Duration limit) throws LabException;

    /** Runs a shell command as root: directly for root, through {@code sudo -n} otherwise. */
    CommandResult runAsRoot(String command, Duration limit) throws LabException;

    /**
     * Starts a command as root that may never answer, because it crashes the kernel. It returns once
     * the command has been handed to the board; the connection dying afterwards is expected.
     */
    void launchAsRoot(String command) throws LabException;

    /** Writes a file on the board as root, creating or replacing it. */
    void writeFileAsRoot(String path, String content, Duration limit) throws LabException;

    /** Copies a file of this machine to the board as root, byte for byte, creating or replacing it. */
    void uploadAsRoot(java.nio.file.Path local, String path, Duration limit) throws LabException;

    /** True while the connection is up. */
    boolean isConnected();

    @Override
    void close();
}
