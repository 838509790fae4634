package org.kernelrig.netconsole;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The kernel's count of datagrams it dropped on one UDP socket because the
 * socket's buffer was full: the {@code drops} column of /proc/net/udp and
 * /proc/net/udp6, found by the socket's inode. Those datagrams never reach
 * the program, so no counter of its own can see them.
 */
final class SocketDrops {

    private static final Path[] TABLES = {Path.of("/proc/net/udp"), Path.of("/proc/net/udp6")};
    private static final int LOCAL_ADDRESS = 1;
    private static final int INODE = 9;
    private static final int DROPS = 12;

    private final long inode;

    private SocketDrops(long inode) {
        this.inode = inode;
    }

    /** The socket behind one of this process's file descriptors; unknown without /proc. */
    static SocketDrops ofDescriptor(int fd) {
        return new SocketDrops(inodeOf(Path.of("/proc/self/fd", Integer.toString(fd))));
    }

    /**
     * This process's only UDP socket bound to the port; unknown when there is
     * none or more than one (another address on the same port).
     */
    static SocketDrops ofLocalPort(int port) {
        try {
            Set<Long> ours = ownSocketInodes();
            long found = -1;
            for (Path table : TABLES) {
                if (!Files.isReadable(table)) {
                    continue;
                }
                for (String row : Files.readAllLines(table)) {
                    String[] columns = row.trim().split("\\s+");
                    if (columns.length > DROPS && port == localPort(columns[LOCAL_ADDRESS])
                            && ours.contains(parseLong(columns[INODE]))) {
                        if (found >= 0) {
                            return new SocketDrops(-1);
                        }
                        found = parseLong(columns[INODE]);
                    }
                }
            }
            return new SocketDrops(found);
        } catch (IOException | RuntimeException e) {
            return new SocketDrops(-1);
        }
    }

    /** The count now; -1 when it cannot be told. */
    long read() {
        if (inode < 0) {
            return -1;
        }
        try {
            for (Path table : TABLES) {
                if (Files.isReadable(table)) {
                    long drops = dropsOf(inode, Files.readAllLines(table));
                    if (drops >= 0) {
                        return drops;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // The table is the kernel's; a read that fails leaves the count unknown.
        }
        return -1;
    }

    /** The drops of the socket with this inode in the rows of a /proc/net/udp table; -1 when it is not there. */
    static long dropsOf(long inode, List<String> rows) {
        for (String row : rows) {
            String[] columns = row.trim().split("\\s+");
            if (columns.length > DROPS && Character.isDigit(columns[INODE].charAt(0))
                    && parseLong(columns[INODE]) == inode) {
                return parseLong(columns[DROPS]);
            }
        }
        return -1;
    }

    /** The port of a {@code local_address} column, e.g. {@code 0100007F:1A0A}; -1 for the heading. */
    static int localPort(String column) {
        int colon = column.lastIndexOf(':');
        try {
            return colon < 0 ? -1 : Integer.parseInt(column.substring(colon + 1), 16);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static long parseLong(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static long inodeOf(Path descriptor) {
        try {
            String target = Files.readSymbolicLink(descriptor).toString();
            return target.startsWith("socket:[") && target.endsWith("]")
                    ? parseLong(target.substring(8, target.length() - 1)) : -1;
        } catch (IOException | UnsupportedOperationException e) {
            return -1;
        }
    }

    private static Set<Long> ownSocketInodes() throws IOException {
        Set<Long> inodes = new HashSet<>();
        try (DirectoryStream<Path> descriptors = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path descriptor : descriptors) {
                long inode = inodeOf(descriptor);
                if (inode >= 0) {
                    inodes.add(inode);
                }
            }
        }
        return inodes;
    }
}
