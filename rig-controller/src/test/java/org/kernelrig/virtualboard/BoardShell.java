package org.kernelrig.virtualboard;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.kernelrig.inventory.SshSettings;

import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;

/** Commands on a virtual board over SSH with jsch, the host key checked strictly against the board's known_hosts. */
final class BoardShell {

    private BoardShell() {
    }

    static Session connect(SshSettings ssh, Duration timeout) throws JSchException {
        JSch jsch = new JSch();
        jsch.addIdentity(ssh.identity().toString());
        jsch.setKnownHosts(ssh.knownHosts().toString());
        Session session = jsch.getSession(ssh.user(), ssh.host(), ssh.port());
        session.setConfig("StrictHostKeyChecking", "yes");
        session.setConfig("PreferredAuthentications", "publickey");
        session.connect((int) timeout.toMillis());
        return session;
    }

    /** Runs {@code command}; returns its standard output. Fails on a non-zero exit. */
    static String run(SshSettings ssh, String command) throws Exception {
        Session session = connect(ssh, Duration.ofSeconds(10));
        try {
            ChannelExec channel = (ChannelExec) session.openChannel("exec");
            channel.setCommand(command);
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            channel.setErrStream(err);
            InputStream in = channel.getInputStream();
            channel.connect(10_000);
            byte[] out = in.readAllBytes();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(channel::isClosed);
            if (channel.getExitStatus() != 0) {
                throw new IllegalStateException("'" + command + "' exited with " + channel.getExitStatus() + ": "
                        + err.toString(StandardCharsets.UTF_8));
            }
            return new String(out, StandardCharsets.UTF_8);
        } finally {
            session.disconnect();
        }
    }

    /** True when the board answers SSH within a short time (a fresh boot's first attempts may stall). */
    static boolean answers(SshSettings ssh) {
        try {
            Session session = connect(ssh, Duration.ofSeconds(2));
            session.disconnect();
            return true;
        } catch (JSchException e) {
            return false;
        }
    }

    /** Starts {@code command} on the board in the background, detached, and leaves before it runs. */
    static void fire(SshSettings ssh, String command) throws Exception {
        run(ssh, "setsid sh -c 'sleep 1; " + command + "' </dev/null >/dev/null 2>&1 &");
    }
}
