package dev.bpfglobals.runtime.attach;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The target a {@code uprobe/} or {@code uretprobe/} section names, parsed as libbpf's
 * {@code attach_uprobe} parses it: {@code uprobe/BINARY:FUNCTION[+OFFSET]}, e.g.
 * {@code uprobe//usr/lib/x86_64-linux-gnu/libc.so.6:getpid} or {@code uprobe//proc/self/exe:main}
 * (the path is resolved by the kernel in the attaching process, so that is the JVM). A binary
 * given without a {@code /} is looked for as libbpf's {@code resolve_full_path} does: a
 * {@code .so} in the directories of {@code LD_LIBRARY_PATH}, then the usual library directories,
 * anything else on {@code PATH}. {@code libjvm.so}, found in none of them, is the one of the JDK
 * this JVM runs on ({@code java.home/lib/server}), so a {@code usdt/libjvm.so:hotspot:NAME}
 * section traces the JVMs of that JDK.
 *
 * @param binary   the executable or library
 * @param function the function's name
 * @param offset   bytes past the function's start
 */
record UprobeSection(Path binary, String function, long offset) {

    /** HotSpot's library, whose {@code .note.stapsdt} holds the JVM's USDT probes. */
    private static final String LIBJVM = "libjvm.so";
    private static final List<String> LIBRARY_DIRECTORIES = List.of("/lib64", "/usr/lib64", "/lib", "/usr/lib",
            "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu");

    /**
     * The target of {@code section}'s {@code target} (what follows {@code uprobe/}).
     *
     * @throws IllegalArgumentException naming the section and the expected form
     */
    static UprobeSection parse(String program, String section, String target) {
        int colon = target.lastIndexOf(':');
        if (colon <= 0 || colon == target.length() - 1) {
            throw new IllegalArgumentException("program '" + program + "' in section '" + section + "': a uprobe section names "
                    + "BINARY:FUNCTION[+OFFSET] (e.g. uprobe//usr/lib/x86_64-linux-gnu/libc.so.6:getpid); for another "
                    + "target use BpfProgram.attachUprobe(binary, function)");
        }
        String where = target.substring(colon + 1);
        int plus = where.indexOf('+');
        String function = plus < 0 ? where : where.substring(0, plus);
        long offset;
        try {
            offset = plus < 0 ? 0 : Long.decode(where.substring(plus + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("program '" + program + "' in section '" + section + "': '"
                    + where.substring(plus + 1) + "' is not an offset (decimal or 0x hexadecimal)", e);
        }
        return new UprobeSection(resolve(program, section, target.substring(0, colon)), function, offset);
    }

    /** {@code binary} as a path: itself where it has a {@code /}, else found as libbpf's {@code resolve_full_path} finds it. */
    static Path resolve(String program, String section, String binary) {
        if (binary.contains("/")) {
            return Path.of(binary);
        }
        boolean library = binary.contains(".so");
        Stream<String> directories = library
                ? Stream.concat(Stream.of(Optional.ofNullable(System.getenv("LD_LIBRARY_PATH")).orElse("").split(":"))
                        .filter(d -> !d.isEmpty()), LIBRARY_DIRECTORIES.stream())
                : Stream.of(Optional.ofNullable(System.getenv("PATH")).orElse("/usr/bin:/bin").split(":"));
        Stream<Path> candidates = directories.map(d -> Path.of(d, binary));
        if (binary.equals(LIBJVM)) {
            candidates = Stream.concat(candidates, Stream.of(Path.of(System.getProperty("java.home"), "lib", "server", LIBJVM)));
        }
        return candidates.filter(Files::isRegularFile).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("program '" + program + "' in section '" + section + "': no file '"
                        + binary + "' in " + (library ? "$LD_LIBRARY_PATH, " + LIBRARY_DIRECTORIES : "$PATH")
                        + "; give the binary's absolute path (uprobe//path/to/" + binary + ":function)"));
    }
}
