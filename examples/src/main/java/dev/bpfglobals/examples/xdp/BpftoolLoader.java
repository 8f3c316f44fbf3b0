package dev.bpfglobals.examples.xdp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Loads a compat-mode BPF object with bpftool, reusing our {@code .percpu} map for the program's
 * {@code __percpu_compat} map. A stand-in until the pure-Java loader lands: released libbpf skips the
 * {@code .percpu} section, so the map is made by the runtime from the record's contract instead.
 */
final class BpftoolLoader {

    private BpftoolLoader() {
    }

    /** Loads {@code object}, pins its program at {@code programPin}, with the map pinned at {@code mapPin}. */
    static void load(Path object, Path programPin, Path mapPin) throws IOException, InterruptedException {
        List<String> command = List.of("bpftool", "prog", "load", object.toString(), programPin.toString(),
                "type", "xdp", "map", "name", "__percpu_compat", "pinned", mapPin.toString());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("bpftool could not load " + object + ":\n" + output.strip());
        }
    }
}
