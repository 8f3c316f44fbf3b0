package dev.bpfglobals.runtime.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** What the kernel's own files say, read by the tests themselves rather than through the library. */
public final class KernelFiles {

    private KernelFiles() {
    }

    /** The modules with BTF in /sys/kernel/btf (every entry but vmlinux), sorted; empty where there is none. */
    public static List<String> btfModules() throws IOException {
        Path directory = Path.of("/sys/kernel/btf");
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.map(p -> p.getFileName().toString()).filter(n -> !n.equals("vmlinux")).sorted().toList();
        }
    }
}
