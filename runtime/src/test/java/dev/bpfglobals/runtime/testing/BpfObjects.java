package dev.bpfglobals.runtime.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Compiles the C sources under a module's src/test/bpf with clang into target/test-bpf, once per name. */
public final class BpfObjects {

    private BpfObjects() {
    }

    /** The object built from {@code src/test/bpf/NAME.bpf.c} of the module under test. */
    public static synchronized Path compile(String name) throws IOException, InterruptedException {
        Path source = Path.of("src/test/bpf", name + ".bpf.c");
        Path object = Files.createDirectories(Path.of("target/test-bpf")).resolve(name + ".bpf.o");
        if (Files.exists(object) && Files.getLastModifiedTime(object).compareTo(Files.getLastModifiedTime(source)) > 0) {
            return object;
        }
        String arch = System.getProperty("os.arch").equals("amd64") ? "x86_64" : System.getProperty("os.arch");
        Process clang = new ProcessBuilder("clang", "-O2", "-g", "-target", "bpf", "-Wall",
                "-I/usr/include/" + arch + "-linux-gnu", "-c", source.toString(), "-o", object.toString())
                .redirectErrorStream(true).start();
        String output = new String(clang.getInputStream().readAllBytes());
        if (!clang.waitFor(60, TimeUnit.SECONDS) || clang.exitValue() != 0) {
            throw new AssertionError("clang failed on " + source + ":\n" + output);
        }
        return object;
    }
}
