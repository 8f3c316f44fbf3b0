package dev.bpfglobals.runtime.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Makes sure {@code lo} is up, as root's shell would: {@code ip link set lo up}. A machine always
 * has it up; this project's VM guests boot with it down.
 */
public final class Loopback {

    private Loopback() {
    }

    /** Brings {@code lo} up unless it is (IFF_UP in /sys/class/net/lo/flags). */
    public static synchronized void ensureUp() throws IOException, InterruptedException {
        if (isUp()) {
            return;
        }
        Process ip = new ProcessBuilder("ip", "link", "set", "lo", "up").inheritIO().start();
        if (ip.waitFor() != 0 || !isUp()) {
            throw new AssertionError("lo is down and ip link set lo up failed");
        }
    }

    private static boolean isUp() throws IOException {
        String flags = Files.readString(Path.of("/sys/class/net/lo/flags")).strip();
        return (Long.decode(flags) & 1) != 0;
    }
}
