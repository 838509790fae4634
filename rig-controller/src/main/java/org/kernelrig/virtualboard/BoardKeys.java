package org.kernelrig.virtualboard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import org.kernelrig.LabException;

/**
 * The SSH keys of the virtual boards: rig's key, which the boards accept
 * for root, and the boards' host key, which rig checks strictly. Both are
 * ed25519 keys made once with ssh-keygen and kept in the cache folder.
 *
 * @param identity      rig's private key (OpenSSH format); its {@code .pub} sits beside it
 * @param hostKey       the boards' private host key (OpenSSH format), built into the image
 * @param hostPublicKey the host key's public line: {@code ssh-ed25519 AAAA... comment}
 */
public record BoardKeys(Path identity, Path hostKey, String hostPublicKey) {

    /** Loads the keys from {@code directory}, making those that are missing. */
    static BoardKeys ensure(Path directory) throws LabException {
        try {
            Files.createDirectories(directory);
            Path identity = directory.resolve("id_ed25519");
            Path hostKey = directory.resolve("host_ed25519");
            make(identity, "rig");
            make(hostKey, "rig-virtual-board");
            return new BoardKeys(identity, hostKey, Files.readString(publicKey(hostKey)).strip());
        } catch (IOException e) {
            throw new LabException("cannot keep the virtual board's SSH keys in " + directory + ": " + e.getMessage());
        }
    }

    public Path identityPublic() {
        return publicKey(identity);
    }

    static Path publicKey(Path key) {
        return key.resolveSibling(key.getFileName() + ".pub");
    }

    private static void make(Path key, String comment) throws LabException, IOException {
        if (Files.exists(key) && Files.exists(publicKey(key))) {
            return;
        }
        // made beside the final name and moved there, so a key is never half written
        Path temp = Files.createTempDirectory(key.getParent(), ".key");
        try {
            Path made = temp.resolve("key");
            HostCommand.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", made.toString())
                    .timeout(Duration.ofMinutes(1)).check("making an SSH key");
            Files.move(publicKey(made), publicKey(key), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            Files.move(made, key, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp.resolve("key"));
            Files.deleteIfExists(publicKey(temp.resolve("key")));
            Files.deleteIfExists(temp);
        }
    }
}
