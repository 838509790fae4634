package org.kernelrig.inventory;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How to reach a board over SSH.
 *
 * @param port       0 when the port is chosen when the board is started (virtual boards)
 * @param identity   a private key file, or null to use the ssh-agent and the usual ~/.ssh keys
 * @param knownHosts the known_hosts file checked strictly; null for the user's default
 * @param sudo       run privileged commands through {@code sudo -n} (a non-root user)
 */
public record SshSettings(String host, int port, String user, Path identity, Path knownHosts, boolean sudo,
        Duration connectTimeout) {

    public static final int DEFAULT_PORT = 22;
}
