package dev.bpfglobals.runtime.internal.kernelenv;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The Linux security modules the kernel runs, as {@code /sys/kernel/security/lsm} lists them
 * (comma-separated, in call order). A BPF LSM program's hook runs only where {@code bpf} is among
 * them (the kernel built with {@code CONFIG_BPF_LSM} and booted with it in {@code lsm=}); elsewhere
 * the kernel loads and links the program all the same, and it never runs.
 */
public final class SecurityModules {

    /** Where securityfs lists the active modules. */
    public static final Path FILE = Path.of("/sys/kernel/security/lsm");

    private SecurityModules() {
    }

    /** The active modules, or empty where the file cannot be read (securityfs not mounted). */
    public static Optional<List<String>> active() {
        try {
            String list = Files.readString(FILE).strip();
            return Optional.of(list.isEmpty() ? List.of() : Arrays.stream(list.split(",")).map(String::strip).toList());
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
