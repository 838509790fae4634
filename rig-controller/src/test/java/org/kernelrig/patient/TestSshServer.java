package org.kernelrig.patient;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.config.keys.AuthorizedKeysAuthenticator;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.server.shell.ProcessShellFactory;
import org.kernelrig.inventory.SshSettings;

import com.jcraft.jsch.JSch;

/**
 * A real SSH server (Apache MINA SSHD) on a loopback port, running each
 * command with {@code /bin/sh -c}, optionally as another Unix user, and a
 * client key pair it accepts. Stands in for a board in the tests of the
 * SSH error paths the virtual board cannot show.
 */
public final class TestSshServer implements AutoCloseable {

    final SshServer server;
    final Path dir;
    final Path clientKey;
    final Path knownHosts;

    /** @param runAs the Unix user commands run as, or null for this process's user */
    public TestSshServer(Path dir, String runAs) throws Exception {
        this.dir = Files.createDirectories(dir);
        this.clientKey = dir.resolve("id_ecdsa");
        this.knownHosts = dir.resolve("known_hosts");
        Path authorizedKeys = dir.resolve("authorized_keys");
        writeKeyPair(clientKey, authorizedKeys);

        server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(0);
        SimpleGeneratorHostKeyProvider hostKeys = new SimpleGeneratorHostKeyProvider(dir.resolve("host-key"));
        hostKeys.setAlgorithm("EC");
        server.setKeyPairProvider(hostKeys);
        server.setPublickeyAuthenticator(new AuthorizedKeysAuthenticator(authorizedKeys));
        server.setCommandFactory((channel, command) -> {
            List<String> words = new ArrayList<>();
            if (runAs != null) {
                words.addAll(List.of("runuser", "-u", runAs, "--"));
            }
            words.addAll(List.of("/bin/sh", "-c", command));
            return new ProcessShellFactory(command, words).createShell(channel);
        });
        server.start();
    }

    public int port() {
        return server.getPort();
    }

    /** The private key the server accepts. */
    public Path clientKey() {
        return clientKey;
    }

    /** The known_hosts file {@link #trustHostKey} writes. */
    public Path knownHosts() {
        return knownHosts;
    }

    /** The {@code ssh:} line of a board file that logs in to this server. */
    public String boardSsh() {
        return "ssh: {host: 127.0.0.1, port: " + port() + ", user: root, identity: " + clientKey + ", known-hosts: "
                + knownHosts + ", connect-timeout: 2s}";
    }

    /** Records the server's real host key in the known_hosts file. */
    public void trustHostKey() throws IOException {
        Files.writeString(knownHosts, "[127.0.0.1]:" + port() + " " + hostKeyEntry() + "\n");
    }

    /** The server's host key as an OpenSSH public key line: {@code type base64}. */
    String hostKeyEntry() throws IOException {
        try {
            KeyPair pair = server.getKeyPairProvider().loadKeys(null).iterator().next();
            return PublicKeyEntry.toString(pair.getPublic());
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    SshPatient.Target target(String user, boolean sudo, Path identity, String acceptFingerprint) {
        SshSettings settings = new SshSettings("127.0.0.1", port(), user, identity, knownHosts, sudo,
                Duration.ofSeconds(10));
        return new SshPatient.Target("test-board", "127.0.0.1", port(), settings, acceptFingerprint);
    }

    public SshPatient.Target target() {
        return target("root", false, clientKey, null);
    }

    static void writeKeyPair(Path privateKey, Path authorizedKeys) throws Exception {
        com.jcraft.jsch.KeyPair pair = com.jcraft.jsch.KeyPair.genKeyPair(new JSch(), com.jcraft.jsch.KeyPair.ECDSA, 256);
        pair.writePrivateKey(privateKey.toString());
        if (authorizedKeys != null) {
            pair.writePublicKey(authorizedKeys.toString(), "rig-test");
        }
        pair.dispose();
    }

    @Override
    public void close() throws IOException {
        server.stop(true);
    }

    static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }
}
