package org.kernelrig.netconsole;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The log files, one per patient, in one folder: opened for appending
 * (never truncated), at most {@code maxOpen} open at once (the least
 * recently written is closed first and opened again when needed).
 */
final class PatientLogs implements AutoCloseable {

    private final Path directory;
    private final int maxOpen;
    private final LinkedHashMap<Path, FileChannel> open = new LinkedHashMap<>(16, 0.75f, true);
    private final ByteBuffer transfer = ByteBuffer.allocateDirect(1 << 20);

    PatientLogs(Path directory, int maxOpen) {
        this.directory = directory;
        this.maxOpen = maxOpen;
    }

    /** The log of a patient: {@code netconsole-<address>.log}, the address made safe for a file name. */
    Path fileOf(InetAddress patient) {
        return fileOf(directory, patient);
    }

    static Path fileOf(Path directory, InetAddress patient) {
        return directory.resolve("netconsole-" + fileSafe(PatientAddress.text(patient)) + ".log");
    }

    static String fileSafe(String address) {
        StringBuilder safe = new StringBuilder(address.length());
        for (int i = 0; i < address.length(); i++) {
            char c = address.charAt(i);
            safe.append(c == ':' ? '_' : (Character.isLetterOrDigit(c) && c < 0x80) || c == '.' ? c : '-');
        }
        return safe.toString();
    }

    /** Appends the bytes to the file: on return they are in the kernel, safe from a crash of this process. */
    void append(Path file, byte[] bytes, int length) throws IOException {
        FileChannel channel = channel(file);
        int done = 0;
        while (done < length) {
            transfer.clear();
            int chunk = Math.min(transfer.capacity(), length - done);
            transfer.put(bytes, done, chunk).flip();
            while (transfer.hasRemaining()) {
                channel.write(transfer);
            }
            done += chunk;
        }
    }

    private FileChannel channel(Path file) throws IOException {
        FileChannel channel = open.get(file);
        if (channel == null) {
            Files.createDirectories(directory);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
            open.put(file, channel);
            if (open.size() > maxOpen) {
                Iterator<Map.Entry<Path, FileChannel>> eldest = open.entrySet().iterator();
                eldest.next().getValue().close();
                eldest.remove();
            }
        }
        return channel;
    }

    int openCount() {
        return open.size();
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (FileChannel channel : open.values()) {
            try {
                channel.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        open.clear();
        if (first != null) {
            throw first;
        }
    }
}
