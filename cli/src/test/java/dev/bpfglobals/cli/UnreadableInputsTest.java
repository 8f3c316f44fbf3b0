package dev.bpfglobals.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.runtime.testing.HostileBtf;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inputs that are no file to read, too much of one, or types nested past the kernel's resolve
 * depth: each is refused in one line before it is read or walked, where reading would block for ever (a FIFO, {@code /dev/zero}) or fill the heap ({@code /dev/urandom}).
 * The timeout only turns such a hang into a failure; no test here depends on speed.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class UnreadableInputsTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        out.reset();
        err.reset();
        return BpfGlobalsCli.run(args, new PrintStream(out, true), new PrintStream(err, true));
    }

    @Test
    void aFifoAsTheObjectIsRefusedWithoutOpeningIt(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("object.o");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor()).isZero();

        assertThat(run("inspect", fifo.toString())).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("bpf-globals: " + fifo
                + " is not a regular file (a FIFO, device or socket): give a BPF object as a regular file\n");
    }

    @Test
    void devZeroAndDevUrandomAsTheObjectAreRefused() {
        for (String device : new String[] {"/dev/zero", "/dev/urandom"}) {
            assertThat(run("inspect", device)).as(device).isEqualTo(1);
            assertThat(err.toString()).as(device).isEqualTo("bpf-globals: " + device
                    + " is not a regular file (a FIFO, device or socket): give a BPF object as a regular file\n");
        }
    }

    @Test
    void anObjectOverTheLimitIsRefusedBeforeItIsRead(@TempDir Path dir) throws Exception {
        Path huge = sparse(dir.resolve("huge.o"), 256L * 1024 * 1024 + 1);

        assertThat(run("inspect", huge.toString())).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("bpf-globals: " + huge
                + " is 268435457 bytes, over the 268435456-byte limit for a BPF object\n");
    }

    @Test
    void anObjectWhoseTypesNestTwentyThousandDeepIsRefusedInOneLine(@TempDir Path dir) throws Exception {
        Path object = Files.write(dir.resolve("deep.o"), HostileBtf.withBtf(
                Files.readAllBytes(BpfObjects.compile("counters")), HostileBtf.nestedArrays(20_000, 20_000)));

        assertThat(run("inspect", object.toString())).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("bpf-globals: not a valid BPF object: " + object + ": section .BTF: type 34"
                + " (ARRAY) is built on more than 32 pointers, modifiers, typedefs and arrays, past the kernel's resolve"
                + " depth of 32\n");
    }

    @Test
    void aDeviceAsTheContractIsRefused() throws Exception {
        String object = BpfObjects.compile("counters").toString();

        assertThat(run("check", object, "--contract", "/dev/zero")).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("bpf-globals: /dev/zero is not a regular file (a FIFO, device or socket):"
                + " give a contract as a regular file\n");
    }

    @Test
    void aContractOverTheLimitIsRefusedBeforeItIsRead(@TempDir Path dir) throws Exception {
        String object = BpfObjects.compile("counters").toString();
        Path huge = sparse(dir.resolve("contract.json"), 3L * 1024 * 1024 * 1024);

        assertThat(run("check", object, "--contract", huge.toString())).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("bpf-globals: " + huge
                + " is 3221225472 bytes, over the 16777216-byte limit for a contract\n");
    }

    @Test
    void aDeviceAsTheKernelBtfIsRefused() throws Exception {
        String object = BpfObjects.compile("counters").toString();

        assertThat(run("load", object, "--pin", "/sys/fs/bpf/bpfglobals-unreadable", "--kernel-btf", "/dev/zero"))
                .isEqualTo(1);
        assertThat(err.toString()).startsWith("bpf-globals: --kernel-btf /dev/zero: not a regular file (a FIFO,"
                + " device or socket)").doesNotContain("\tat ").hasLineCount(1);
    }

    @Test
    void anOutOfMemoryErrorIsOneLineSayingWhatToDo() {
        StringWriter text = new StringWriter();

        int status = Failures.handleError(new OutOfMemoryError("Java heap space"),
                BpfGlobalsCli.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(text)));

        assertThat(status).isEqualTo(1);
        assertThat(text.toString()).isEqualTo("bpf-globals: out of memory (Java heap space): the input is too large for"
                + " this JVM's heap; give a smaller one, or a larger heap (java -Xmx)\n");
    }

    @Test
    void aStackOverflowErrorIsOneLine() {
        StringWriter text = new StringWriter();

        Failures.handleError(new StackOverflowError(),
                BpfGlobalsCli.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(text)));

        assertThat(text.toString()).isEqualTo("bpf-globals: out of stack: the input nests too deeply for this JVM"
                + " (java -Xss raises the limit)\n");
    }

    @Test
    void verboseKeepsTheStackTraceOfAnError() {
        StringWriter text = new StringWriter();
        var cli = BpfGlobalsCli.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(text));
        cli.parseArgs("--verbose", "inspect", "x.o");

        Failures.handleError(new StackOverflowError(), cli);

        assertThat(text.toString()).startsWith("bpf-globals: out of stack").contains("\tat ");
    }

    /** A file of {@code size} bytes that takes no disk: only its size is ever looked at. */
    private static Path sparse(Path path, long size) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw")) {
            file.setLength(size);
        }
        return path;
    }
}
