package dev.bpfglobals.runtime.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Pin paths for tests. Pinning needs a BPF filesystem at {@code /sys/fs/bpf}; a fresh machine or
 * container may not have one mounted (bin/env.sh mounts it as root). Without it a pinning test is
 * skipped with the reason, or fails where {@code bpfglobals.kernelTests=require} is set.
 */
public final class BpfPins {

    private static final Path BPFFS = Path.of("/sys/fs/bpf");

    private BpfPins() {
    }

    /** A path under the mounted bpffs named for this test and process, or the test is skipped (or failed) saying why. */
    public static Path path(String name) {
        String missing = missingBpffs();
        if (missing != null) {
            if ("require".equals(System.getProperty("bpfglobals.kernelTests"))) {
                throw new IllegalStateException("kernel tests are required (-Dbpfglobals.kernelTests=require) but " + missing);
            }
            Assumptions.abort("pinning test skipped: " + missing);
        }
        return BPFFS.resolve("bpfglobals-" + name + "-" + ProcessHandle.current().pid());
    }

    /** Why nothing can be pinned under /sys/fs/bpf, or null if a bpffs is mounted there. */
    static String missingBpffs() {
        try {
            for (String mount : Files.readAllLines(Path.of("/proc/self/mounts"))) {
                String[] fields = mount.split(" ");
                if (fields.length > 2 && fields[1].equals(BPFFS.toString()) && fields[2].equals("bpf")) {
                    return null;
                }
            }
            return "no BPF filesystem is mounted at " + BPFFS + " (as root: mount -t bpf bpf " + BPFFS + ")";
        } catch (IOException e) {
            return "cannot read /proc/self/mounts: " + e.getMessage();
        }
    }
}
