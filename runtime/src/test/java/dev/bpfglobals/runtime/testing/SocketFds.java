package dev.bpfglobals.runtime.testing;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

/**
 * The file descriptor behind a Java UDP socket or TCP listener, found as {@code ss} would find it:
 * the socket's inode from {@code /proc/self/net/udp} or {@code udp6} (for a listener, the calling
 * thread's {@code /proc/thread-self/net/tcp} or {@code tcp6}, so that it works in a
 * {@link NetNamespace}) by its local port, then the descriptor in {@code /proc/self/fd} that links
 * to {@code socket:[inode]}. No reflection into the JDK.
 */
public final class SocketFds {

    private SocketFds() {
    }

    /** The descriptor of this process's UDP socket bound to {@code localPort}. */
    public static int udpSocketFd(int localPort) throws IOException {
        String inode = null;
        java.util.List<String> lines = new java.util.ArrayList<>(Files.readAllLines(Path.of("/proc/self/net/udp")));
        lines.addAll(Files.readAllLines(Path.of("/proc/self/net/udp6"))); // the JDK's sockets are dual-stack IPv6 ones
        for (String line : lines) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length > 9 && fields[1].contains(":")
                    && HexFormat.fromHexDigits(fields[1].substring(fields[1].indexOf(':') + 1)) == localPort) {
                inode = fields[9];
            }
        }
        if (inode == null) {
            throw new AssertionError("no UDP socket on port " + localPort + " in /proc/self/net/udp or udp6");
        }
        return descriptorOf(inode);
    }

    /** The descriptor of this process's TCP socket listening on {@code localPort} in the calling thread's network namespace. */
    public static int tcpListenerFd(int localPort) throws IOException {
        String inode = null;
        java.util.List<String> lines = new java.util.ArrayList<>(Files.readAllLines(Path.of("/proc/thread-self/net/tcp")));
        lines.addAll(Files.readAllLines(Path.of("/proc/thread-self/net/tcp6")));
        for (String line : lines) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length > 9 && fields[1].contains(":") && fields[3].equals("0A") // TCP_LISTEN
                    && HexFormat.fromHexDigits(fields[1].substring(fields[1].indexOf(':') + 1)) == localPort) {
                inode = fields[9];
            }
        }
        if (inode == null) {
            throw new AssertionError("no TCP listener on port " + localPort + " in /proc/thread-self/net/tcp or tcp6");
        }
        return descriptorOf(inode);
    }

    /** The descriptor of this process's established TCP socket whose local port is {@code localPort}, in the calling thread's network namespace. */
    public static int tcpConnectedFd(int localPort) throws IOException {
        java.util.List<String> lines = new java.util.ArrayList<>(Files.readAllLines(Path.of("/proc/thread-self/net/tcp")));
        lines.addAll(Files.readAllLines(Path.of("/proc/thread-self/net/tcp6")));
        for (String line : lines) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length > 9 && fields[1].contains(":") && fields[3].equals("01") // TCP_ESTABLISHED
                    && HexFormat.fromHexDigits(fields[1].substring(fields[1].indexOf(':') + 1)) == localPort) {
                return descriptorOf(fields[9]);
            }
        }
        throw new AssertionError("no established TCP socket on local port " + localPort + " in /proc/thread-self/net/tcp or tcp6");
    }

    private static int descriptorOf(String inode) throws IOException {
        String target = "socket:[" + inode + "]";
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                try {
                    if (Files.readSymbolicLink(fd).toString().equals(target)) {
                        return Integer.parseInt(fd.getFileName().toString());
                    }
                } catch (IOException closedMeanwhile) {
                    // a descriptor closed while listing; not ours
                }
            }
        }
        throw new AssertionError("no descriptor of this process links to " + target);
    }
}
