package dev.bpfglobals.runtime.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Makes sure tracefs is mounted where tracepoint ids are read, as root's shell would:
 * {@code mount -t tracefs tracefs /sys/kernel/tracing}. A machine that boots without it mounted
 * (this project's VM guests, some containers) otherwise has no tracepoint ids to attach to.
 */
public final class Tracefs {

    private static final Path ROOT = Path.of("/sys/kernel/tracing");

    private Tracefs() {
    }

    /** Mounts tracefs at /sys/kernel/tracing unless it (or the debugfs one) is there already. */
    public static synchronized void ensureMounted() throws IOException, InterruptedException {
        if (Files.isDirectory(ROOT.resolve("events")) || Files.isDirectory(Path.of("/sys/kernel/debug/tracing/events"))) {
            return;
        }
        Process mount = new ProcessBuilder("mount", "-t", "tracefs", "tracefs", ROOT.toString()).inheritIO().start();
        if (mount.waitFor() != 0 || !Files.isDirectory(ROOT.resolve("events"))) {
            throw new AssertionError("tracefs is not mounted and mount -t tracefs tracefs " + ROOT + " failed");
        }
    }
}
