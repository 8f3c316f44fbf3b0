package dev.bpfglobals.runtime.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The small C programs that uprobe tests attach to, built from {@code src/test/c}. */
public final class TestBinaries {

    private TestBinaries() {
    }

    /**
     * {@code target/test-bin/NAME}, compiled with {@code cc -O2} from {@code src/test/c/NAME.c} when
     * missing or older than its source.
     *
     * @param name the program's name, without {@code .c}
     * @return the binary's absolute path
     */
    public static synchronized Path compile(String name) throws IOException, InterruptedException {
        Path source = Path.of("src/test/c/" + name + ".c");
        Path binary = Files.createDirectories(Path.of("target/test-bin")).resolve(name);
        if (Files.exists(binary) && Files.getLastModifiedTime(binary).compareTo(Files.getLastModifiedTime(source)) > 0) {
            return binary.toAbsolutePath();
        }
        Process cc = new ProcessBuilder("cc", "-O2", "-o", binary.toString(), source.toString()).redirectErrorStream(true).start();
        String output = new String(cc.getInputStream().readAllBytes());
        assertThat(cc.waitFor()).as("cc " + source + ": " + output).isZero();
        return binary.toAbsolutePath();
    }
}
