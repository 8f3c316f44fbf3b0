package dev.bpfglobals.runtime.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Makes sure securityfs is mounted, as root's shell would ({@code mount -t securityfs securityfs
 * /sys/kernel/security}), and reads the lockdown mode there on the test's own account, so a test can
 * hold the library's explanation of an {@code EPERM} against what the kernel says.
 */
public final class Securityfs {

    private static final Path ROOT = Path.of("/sys/kernel/security");

    private Securityfs() {
    }

    /** Mounts securityfs unless it is there; a machine whose kernel has none leaves it unmounted. */
    public static synchronized void ensureMounted() throws IOException, InterruptedException {
        if (Files.exists(ROOT.resolve("lsm")) || !Files.isDirectory(ROOT)) {
            return;
        }
        new ProcessBuilder("mount", "-t", "securityfs", "securityfs", ROOT.toString()).inheritIO().start().waitFor();
    }

    /** The active security modules as securityfs lists them, empty where there is no list. */
    public static java.util.List<String> activeModules() throws IOException, InterruptedException {
        ensureMounted();
        Path file = ROOT.resolve("lsm");
        return Files.isReadable(file) ? java.util.List.of(Files.readString(file).strip().split(",")) : java.util.List.of();
    }

    /** The active lockdown mode in brackets ({@code none}, {@code integrity}, ...), or empty where there is no file. */
    public static String lockdownMode() throws IOException, InterruptedException {
        ensureMounted();
        Path file = ROOT.resolve("lockdown");
        if (!Files.isReadable(file)) {
            return "";
        }
        String modes = Files.readString(file);
        return modes.substring(modes.indexOf('[') + 1, modes.indexOf(']'));
    }
}
