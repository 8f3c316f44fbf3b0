package dev.bpfglobals.cli;

import dev.bpfglobals.runtime.testing.BpfPins;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the tests of {@code load --pin}, {@code run} and {@code dump} share: the command-line tool
 * run in-process with its output captured, and a pin directory of the test's own under bpffs,
 * removed with everything in it after each test.
 */
abstract class PinningCliTest {

    protected final ByteArrayOutputStream out = new ByteArrayOutputStream();
    protected final ByteArrayOutputStream err = new ByteArrayOutputStream();
    protected Path pins;

    /** The name that makes this class's pin directory its own. */
    protected abstract String pinName();

    @BeforeEach
    void pinDirectory() {
        pins = BpfPins.path(pinName());
    }

    @AfterEach
    void removePins() throws IOException {
        if (pins != null && Files.exists(pins)) {
            try (Stream<Path> all = Files.walk(pins)) {
                for (Path path : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }

    /** Runs {@code bpf-globals ARGS} with fresh output buffers; the exit code. */
    protected int run(String... args) {
        out.reset();
        err.reset();
        return BpfGlobalsCli.run(args, new PrintStream(out, true), new PrintStream(err, true));
    }
}
