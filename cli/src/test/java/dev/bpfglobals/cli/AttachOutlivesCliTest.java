package dev.bpfglobals.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bpfglobals.runtime.BpfMap;
import dev.bpfglobals.runtime.MapAccess;
import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import dev.bpfglobals.runtime.testing.Syscalls;
import dev.bpfglobals.runtime.testing.Tracefs;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The link {@code load --pin DIR --attach} pins outlives the CLI: the tool runs as a process of its
 * own (this JVM's class path, as the launcher would run it) and exits, and its tracepoint program
 * (getpid_calls.bpf.c) goes on counting real getpid calls, read here through the pinned map, until
 * the pin directory is removed.
 */
@RequiresBpf
class AttachOutlivesCliTest extends PinningCliTest {

    @Override
    protected String pinName() {
        return "cli-attach-outlives";
    }

    @BeforeAll
    static void tracefs() throws Exception {
        Tracefs.ensureMounted();
    }

    @Test
    void aLinkAttachedByAnExitedCliProcessCountsUntilItsPinDirectoryIsRemoved() throws Exception {
        Process cli = CliProcesses.start("load", BpfObjects.compile("getpid_calls").toString(), "--pin", pins.toString(), "--attach");
        String stderr = new String(cli.getErrorStream().readAllBytes());
        String stdout = new String(cli.getInputStream().readAllBytes());
        assertThat(cli.waitFor(60, TimeUnit.SECONDS)).as("the CLI exits").isTrue();
        assertThat(cli.exitValue()).as(stderr).isZero();
        assertThat(stdout).contains("link pinned at " + pins.resolve("links/count_getpid"));
        assertThat(cli.isAlive()).isFalse();

        try (BpfMap calls = BpfMap.openPinned(pins.resolve("maps/calls"), MapAccess.READ_ONLY)) {
            long before = count(calls);
            Syscalls.getpid();
            Syscalls.getpid();
            assertThat(count(calls)).as("counted with the CLI process gone").isGreaterThanOrEqualTo(before + 2);

            removePins();
            assertThat(pins).doesNotExist();
            awaitNoMoreCounts(calls);
            long stopped = count(calls);
            Syscalls.getpid();
            assertThat(count(calls)).as("no count once the pins are gone").isEqualTo(stopped);
        }
    }

    /**
     * Waits (at most 5 s) until a getpid call no longer counts: the kernel frees a link in a work
     * item after its last hold goes, a moment after the pin is removed.
     */
    private static void awaitNoMoreCounts(BpfMap calls) throws InterruptedException {
        for (long deadline = System.nanoTime() + 5_000_000_000L; System.nanoTime() < deadline; Thread.sleep(5)) {
            long before = count(calls);
            Syscalls.getpid();
            if (count(calls) == before) {
                return;
            }
        }
        throw new AssertionError("getpid calls still counted 5 s after the pin directory was removed");
    }

    private static long count(BpfMap calls) {
        byte[] value = calls.elements().lookup(new byte[4]).orElseThrow();
        return ByteBuffer.wrap(value).order(ByteOrder.nativeOrder()).getLong();
    }
}
