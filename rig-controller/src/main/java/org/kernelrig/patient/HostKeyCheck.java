package org.kernelrig.patient;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.UserInfo;

/**
 * Strict host key checking against a known_hosts file, which remembers the
 * key a board offered so that a refusal can show its fingerprint the way
 * OpenSSH does. A key the user has accepted by its fingerprint is added to
 * the file and used.
 */
final class HostKeyCheck implements HostKeyRepository {

    private final HostKeyRepository knownHosts;
    private final Path knownHostsFile;
    private final String acceptFingerprint;
    private volatile String offeredHost;
    private volatile byte[] offeredKey;
    private volatile int verdict = OK;

    /** @param acceptFingerprint a {@code SHA256:...} fingerprint to accept once and record, or null */
    HostKeyCheck(HostKeyRepository knownHosts, Path knownHostsFile, String acceptFingerprint) {
        this.knownHosts = knownHosts;
        this.knownHostsFile = knownHostsFile;
        this.acceptFingerprint = acceptFingerprint;
    }

    @Override
    public int check(String host, byte[] key) {
        offeredHost = host;
        offeredKey = key.clone();
        int result = knownHosts.check(host, key);
        if (result == NOT_INCLUDED && knownHosts.getHostKey(host, null).length > 0) {
            // The host is known by a key of another type: as OpenSSH, treat it as changed, never as new.
            result = CHANGED;
        }
        if (result == NOT_INCLUDED && acceptFingerprint != null && acceptFingerprint.equals(fingerprint(key))) {
            try {
                HostKey accepted = new HostKey(host, key);
                knownHosts.add(accepted, null);
                record(accepted);
                result = OK;
            } catch (JSchException | IOException e) {
                result = NOT_INCLUDED;
            }
        }
        verdict = result;
        return result;
    }

    /** Appends the accepted key to the known_hosts file, as OpenSSH writes it. */
    private void record(HostKey key) throws IOException {
        Path parent = knownHostsFile.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(knownHostsFile, key.getHost() + " " + key.getType() + " " + key.getKey() + "\n",
                StandardCharsets.US_ASCII, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** What the last check decided: {@link #OK}, {@link #NOT_INCLUDED} or {@link #CHANGED}. */
    int verdict() {
        return verdict;
    }

    String offeredHost() {
        return offeredHost;
    }

    /** The offered key's fingerprint, {@code SHA256:} and unpadded base64, as {@code ssh-keygen -l} prints it. */
    String offeredFingerprint() {
        return offeredKey == null ? "unknown" : fingerprint(offeredKey);
    }

    /** The offered key's type, e.g. {@code ssh-ed25519}. */
    String offeredType() {
        if (offeredKey == null || offeredKey.length < 4) {
            return "unknown";
        }
        int length = ((offeredKey[0] & 0xff) << 24) | ((offeredKey[1] & 0xff) << 16) | ((offeredKey[2] & 0xff) << 8)
                | (offeredKey[3] & 0xff);
        return length > 0 && length < 64 && 4 + length <= offeredKey.length
                ? new String(offeredKey, 4, length, StandardCharsets.US_ASCII) : "unknown";
    }

    static String fingerprint(byte[] key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    @Override
    public void add(HostKey hostkey, UserInfo ui) {
        knownHosts.add(hostkey, ui);
    }

    @Override
    public void remove(String host, String type) {
        knownHosts.remove(host, type);
    }

    @Override
    public void remove(String host, String type, byte[] key) {
        knownHosts.remove(host, type, key);
    }

    @Override
    public String getKnownHostsRepositoryID() {
        return knownHosts.getKnownHostsRepositoryID();
    }

    @Override
    public HostKey[] getHostKey() {
        return knownHosts.getHostKey();
    }

    @Override
    public HostKey[] getHostKey(String host, String type) {
        return knownHosts.getHostKey(host, type);
    }
}
