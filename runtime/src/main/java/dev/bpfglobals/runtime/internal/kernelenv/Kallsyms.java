package dev.bpfglobals.runtime.internal.kernelenv;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Kernel symbol addresses from {@code /proc/kallsyms}, read as libbpf reads them for typeless
 * {@code __ksym} externs ({@code libbpf_kallsyms_parse}, {@code kallsyms_cb}): every line, module
 * symbols included; a local data symbol's {@code .llvm.<hash>} suffix (LTO's renaming) left off.
 * Only the names asked for are kept, in one pass over the file.
 *
 * @param addresses every address each asked-for name has, in file order; absent when the file lacks the name
 */
public record Kallsyms(Map<String, List<Long>> addresses) {

    /** Where the kernel lists its symbols. */
    public static final Path PROC_KALLSYMS = Path.of("/proc/kallsyms");

    /**
     * The addresses of {@code names} in {@code file}.
     *
     * @throws UncheckedIOException if the file cannot be read
     */
    public static Kallsyms read(Path file, Set<String> names) {
        Map<String, List<Long>> found = new HashMap<>();
        try (BufferedReader lines = Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                // "ffffffff814e61b0 T bpf_prog_put", optionally followed by "\t[module]"
                String[] fields = line.split("\\s+", 4);
                if (fields.length < 3 || fields[1].length() != 1) {
                    continue;
                }
                String name = fields[2];
                int llvm = name.indexOf(".llvm.");
                if (fields[1].equals("d") && llvm > 0) {
                    name = name.substring(0, llvm);
                }
                if (names.contains(name)) {
                    long address = Long.parseUnsignedLong(fields[0], 16);
                    List<Long> known = found.computeIfAbsent(name, n -> new ArrayList<>());
                    if (!known.contains(address)) {
                        known.add(address);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (NumberFormatException e) {
            throw new IllegalStateException(file + " holds an address that is not hexadecimal: " + e.getMessage(), e);
        }
        return new Kallsyms(Map.copyOf(found));
    }
}
