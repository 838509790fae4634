package org.kernelrig.patient;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.kernelrig.LabException;
import org.kernelrig.Wait;
import org.kernelrig.inventory.SshSettings;

import com.jcraft.jsch.AgentIdentityRepository;
import com.jcraft.jsch.AgentProxyException;
import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.SSHAgentConnector;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.UnixDomainSocketFactory;

/**
 * A patient reached over SSH with jsch: public keys only (a key file, the
 * ssh-agent, or the usual {@code ~/.ssh} keys), host keys always checked
 * against a known_hosts file, a time limit on every command, and output
 * bounded in size.
 */
public final class SshPatient implements Patient {

    /** The most output kept from one command, per stream. */
    static final int MAX_OUTPUT = 4 * 1024 * 1024;
    private static final List<String> DEFAULT_KEYS = List.of("id_ed25519", "id_ecdsa", "id_rsa");

    private final String board;
    private final Session session;
    private final String user;
    private final boolean sudo;
    private final String address;

    private SshPatient(String board, Session session, String user, boolean sudo, String address) {
        this.board = board;
        this.session = session;
        this.user = user;
        this.sudo = sudo;
        this.address = address;
    }

    /** Where to connect and how; host and port may differ from the inventory's (a virtual board's forwarded port). */
    public record Target(String board, String host, int port, SshSettings settings, String acceptFingerprint) {

        /** The known_hosts file used: the inventory's, else the user's. */
        public Path knownHosts() {
            return settings.knownHosts() != null ? settings.knownHosts()
                    : Path.of(System.getProperty("user.home"), ".ssh", "known_hosts");
        }
    }

    /** Connects and authenticates, or says precisely why not. */
    public static SshPatient connect(Target target) throws LabException {
        SshSettings settings = target.settings();
        String address = settings.user() + "@" + target.host() + ":" + target.port();
        JSch jsch = new JSch();
        List<String> tried = configureIdentities(jsch, target);
        HostKeyCheck hostKeys;
        try {
            Path knownHosts = target.knownHosts();
            if (Files.exists(knownHosts)) {
                jsch.setKnownHosts(knownHosts.toString());
            }
            hostKeys = new HostKeyCheck(jsch.getHostKeyRepository(), knownHosts, target.acceptFingerprint());
            jsch.setHostKeyRepository(hostKeys);
        } catch (JSchException e) {
            throw new LabException("board " + target.board() + ": cannot read " + target.knownHosts() + ": "
                    + e.getMessage());
        }
        Session session;
        try {
            session = jsch.getSession(settings.user(), target.host(), target.port());
            session.setConfig("StrictHostKeyChecking", "yes");
            session.setConfig("PreferredAuthentications", "publickey");
            session.setServerAliveInterval(5_000);
            session.setServerAliveCountMax(3);
            session.connect((int) settings.connectTimeout().toMillis());
        } catch (JSchException e) {
            throw connectionFailure(target, address, hostKeys, tried, e);
        }
        return new SshPatient(target.board(), session, settings.user(), settings.sudo(), address);
    }

    private static List<String> configureIdentities(JSch jsch, Target target) throws LabException {
        List<String> tried = new ArrayList<>();
        Path identity = target.settings().identity();
        try {
            if (identity != null) {
                if (!Files.isReadable(identity)) {
                    throw new LabException("board " + target.board() + ": the SSH key " + identity + " cannot be read",
                            "fix ssh.identity in the board's file, or remove it to use the ssh-agent");
                }
                jsch.addIdentity(identity.toString());
                tried.add(identity.toString());
                return tried;
            }
            String agentSocket = System.getenv("SSH_AUTH_SOCK");
            if (agentSocket != null && !agentSocket.isBlank() && Files.exists(Path.of(agentSocket))) {
                jsch.setIdentityRepository(new AgentIdentityRepository(
                        new SSHAgentConnector(new UnixDomainSocketFactory(), Path.of(agentSocket))));
                tried.add("the ssh-agent at " + agentSocket);
                return tried;
            }
            for (String name : DEFAULT_KEYS) {
                Path key = Path.of(System.getProperty("user.home"), ".ssh", name);
                if (Files.isReadable(key)) {
                    jsch.addIdentity(key.toString());
                    tried.add(key.toString());
                }
            }
        } catch (JSchException | AgentProxyException e) {
            throw new LabException("board " + target.board() + ": cannot load the SSH key: " + e.getMessage(),
                    "a key with a passphrase needs the ssh-agent (ssh-add KEY)");
        }
        return tried;
    }

    private static LabException connectionFailure(Target target, String address, HostKeyCheck hostKeys,
            List<String> tried, JSchException e) {
        String board = "board " + target.board();
        String message = String.valueOf(e.getMessage());
        if (hostKeys.verdict() == HostKeyRepository.CHANGED) {
            return new LabException(board + ": the host key of " + hostKeys.offeredHost() + " has CHANGED to "
                    + hostKeys.offeredType() + " " + hostKeys.offeredFingerprint() + "; refused",
                    "someone may be intercepting the connection, or the board was reinstalled. If it was, remove the "
                            + "old key:\nssh-keygen -R " + ShellQuote.quote(hostKeys.offeredHost()) + " -f "
                            + target.knownHosts());
        }
        if (hostKeys.verdict() == HostKeyRepository.NOT_INCLUDED) {
            return new LabException(board + ": " + hostKeys.offeredHost() + " offered an unknown host key, "
                    + hostKeys.offeredType() + " " + hostKeys.offeredFingerprint() + "; refused",
                    "if that is the board's key (compare: ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub on the "
                            + "board), accept it once and record it in " + target.knownHosts() + " with:\n"
                            + "--accept-host-key " + hostKeys.offeredFingerprint());
        }
        String lower = message.toLowerCase(Locale.ROOT);
        if (lower.contains("auth fail") || lower.contains("auth cancel")) {
            return new LabException(board + ": " + address + " refused the login: no key was accepted",
                    tried.isEmpty() ? "no key was found: set ssh.identity in the board's file, or start an ssh-agent"
                            : "tried " + String.join(", ", tried) + "; the public key must be in ~"
                                    + target.settings().user() + "/.ssh/authorized_keys on the board");
        }
        if (lower.contains("refused")) {
            return new BoardUnreachableException(board + ": cannot reach " + address + ": connection refused",
                    "is the board on and its SSH server running? (rig power " + target.board() + " status)");
        }
        if (lower.contains("timeout") || lower.contains("timed out")) {
            return new BoardUnreachableException(board + ": " + address + " did not answer within "
                    + target.settings().connectTimeout().toSeconds() + " s",
                    "is the board on, and is " + target.host() + " its address?");
        }
        if (lower.contains("session is down") || lower.contains("connection reset") || lower.contains("no route")
                || lower.contains("unreachable") || lower.contains("connection is closed")
                || lower.contains("end of io stream") || lower.contains("closed by foreign host")) {
            // The SSH server went away during the handshake: typical of a board still booting.
            return new BoardUnreachableException(board + ": cannot connect to " + address + ": " + message, null);
        }
        return new LabException(board + ": cannot connect to " + address + ": " + message, null, e);
    }

    @Override
    public String board() {
        return board;
    }

    /** {@code user@host:port}. */
    public String address() {
        return address;
    }

    @Override
    public boolean isConnected() {
        return session.isConnected();
    }

    @Override
    public CommandResult run(String command, Duration limit) throws LabException {
        return execute(command, null, limit);
    }

    @Override
    public CommandResult runAsRoot(String command, Duration limit) throws LabException {
        CommandResult result = execute(asRoot(command), null, limit);
        checkSudo(result);
        return result;
    }

    @Override
    public void launchAsRoot(String command) throws LabException {
        // A background subshell, started a moment later, lets the SSH command return before the kernel dies.
        String detached = "(sleep 1; " + command + ") </dev/null >/dev/null 2>&1 &";
        CommandResult result = execute(asRoot(detached), null, Duration.ofSeconds(30));
        checkSudo(result);
        result.requireOk(board, "starting the trigger");
    }

    @Override
    public void writeFileAsRoot(String path, String content, Duration limit) throws LabException {
        CommandResult result = execute(asRoot("cat > " + ShellQuote.quote(path)),
                new java.io.ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)), limit);
        checkSudo(result);
        result.requireOk(board, "writing " + path);
    }

    @Override
    public void uploadAsRoot(java.nio.file.Path local, String path, Duration limit) throws LabException {
        CommandResult result;
        try (InputStream file = java.nio.file.Files.newInputStream(local)) {
            result = execute(asRoot("cat > " + ShellQuote.quote(path)), file, limit);
        } catch (IOException e) {
            throw new LabException("cannot read " + local + ": " + e.getMessage());
        }
        checkSudo(result);
        result.requireOk(board, "copying " + local.getFileName() + " to " + path);
    }

    private String asRoot(String command) {
        return sudo && !user.equals("root") ? "sudo -n sh -c " + ShellQuote.quote(command) : command;
    }

    private void checkSudo(CommandResult result) throws LabException {
        if (sudo && result.exitStatus() == 1 && result.stderr().contains("sudo:")
                && result.stderr().contains("password")) {
            throw new LabException("board " + board + ": user " + user + " cannot run sudo without a password",
                    "allow it on the board: echo '" + user + " ALL=(ALL) NOPASSWD: ALL' > /etc/sudoers.d/rig, "
                            + "or log in as root");
        }
    }

    private CommandResult execute(String command, InputStream stdin, Duration limit) throws LabException {
        if (!session.isConnected()) {
            throw new LabException("board " + board + ": the SSH connection to " + address + " is closed");
        }
        long start = System.nanoTime();
        long deadline = start + limit.toNanos();
        ChannelExec channel = null;
        try {
            channel = (ChannelExec) session.openChannel("exec");
            if (channel == null) {
                // jsch gives no channel when the session went down since the check above
                throw new JSchException("no channel: the session is down");
            }
            channel.setCommand(command);
            InputStream out = channel.getInputStream();
            InputStream err = channel.getErrStream();
            OutputStream in = channel.getOutputStream();
            channel.connect((int) Math.max(1, Math.min(limit.toMillis(), Integer.MAX_VALUE)));
            // Blocking reads, one thread per stream: jsch's pipes wake a waiting writer only from a blocked reader.
            StreamReader stdout = StreamReader.start(out, "ssh-stdout-" + board);
            StreamReader stderr = StreamReader.start(err, "ssh-stderr-" + board);
            if (stdin != null) {
                // jsch applies the SSH window; the time limit also bounds a stalled upload.
                byte[] buffer = new byte[64 * 1024];
                for (int n; (n = stdin.read(buffer)) > 0; ) {
                    if (System.nanoTime() > deadline) {
                        throw new LabException("board " + board + ": sending input did not finish within "
                                + limit.toSeconds() + " s: " + command);
                    }
                    in.write(buffer, 0, n);
                }
                in.flush();
            }
            in.close();
            while (!(channel.isClosed() && stdout.finished() && stderr.finished())) {
                if (!session.isConnected()) {
                    throw new LabException("board " + board + ": the SSH connection to " + address
                            + " was lost while running: " + command);
                }
                if (System.nanoTime() > deadline) {
                    throw new LabException("board " + board + ": a command did not finish within "
                            + limit.toSeconds() + " s: " + command, "is the board overloaded or hung?");
                }
                stdout.awaitEnd(20);
            }
            int status = channel.getExitStatus();
            if (status == -1 && sessionDropped()) {
                throw new LabException("board " + board + ": the SSH connection to " + address
                        + " was lost while running: " + command);
            }
            return new CommandResult(command, status, stdout.text(), stderr.text(),
                    Duration.ofNanos(System.nanoTime() - start), stdout.truncated() || stderr.truncated());
        } catch (JSchException | IOException e) {
            if (!session.isConnected()) {
                throw new LabException("board " + board + ": the SSH connection to " + address
                        + " was lost while running: " + command, null, e);
            }
            throw new LabException("board " + board + ": cannot run a command: " + e.getMessage(), null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("board " + board + ": interrupted while running: " + command);
        } finally {
            if (channel != null) {
                channel.disconnect();
            }
        }
    }

    @Override
    public void close() {
        session.disconnect();
    }

    /** Reads one output stream to its end on its own thread, keeping at most {@link #MAX_OUTPUT} bytes. */
    private static final class StreamReader extends Thread {
        private final InputStream stream;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private volatile boolean truncated;

        private StreamReader(InputStream stream, String name) {
            super(name);
            this.stream = stream;
            setDaemon(true);
        }

        static StreamReader start(InputStream stream, String name) {
            StreamReader reader = new StreamReader(stream, name);
            reader.start();
            return reader;
        }

        @Override
        public void run() {
            byte[] chunk = new byte[32768];
            try {
                int n;
                while ((n = stream.read(chunk)) >= 0) {
                    synchronized (bytes) {
                        int room = MAX_OUTPUT - bytes.size();
                        if (n > room) {
                            truncated = true;
                        }
                        bytes.write(chunk, 0, Math.max(0, Math.min(room, n)));
                    }
                }
            } catch (IOException e) {
                // The channel was closed under us; what was read so far stands.
            }
        }

        boolean finished() {
            return !isAlive();
        }

        void awaitEnd(long millis) throws InterruptedException {
            join(millis);
        }

        boolean truncated() {
            return truncated;
        }

        String text() {
            synchronized (bytes) {
                return bytes.toString(StandardCharsets.UTF_8);
            }
        }
    }
    /**
     * A channel closed without an exit status: either the command was killed by a signal, or the
     * connection dropped. jsch closes the channels of a session that went down a moment before it
     * says the session is down, so look again briefly.
     */
    private boolean sessionDropped() {
        try {
            return Wait.upTo(Duration.ofSeconds(1), "the SSH session to " + address + " to go down")
                    .poll(Duration.ofMillis(10), () -> session.isConnected() ? null : Boolean.TRUE).isPresent();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !session.isConnected();
        }
    }
}
