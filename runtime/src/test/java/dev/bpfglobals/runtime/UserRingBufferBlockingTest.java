package dev.bpfglobals.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bpfglobals.runtime.attach.Link;
import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.runtime.testing.GlobalView;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import dev.bpfglobals.runtime.testing.Syscalls;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A writer that waits for room in a full user ring buffer: woken when a BPF program drains it on
 * another thread's system calls, or back empty-handed when its timeout passes.
 */
@RequiresBpf
class UserRingBufferBlockingTest {

    private static final int RECORD = 32;

    /** Offers records of {@link #RECORD} bytes, valued 1, 2, 3 ..., until the ring is full: how many it took. */
    private static int fill(UserRingBufferWriter writer) {
        int written = 0;
        while (writer.offer(RECORD, record -> record.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, 1L))) {
            written++;
        }
        return written;
    }

    @Test
    void aWriterBlockedOnAFullRingProceedsOnceAProgramDrainsItFromAnotherThread() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("user_ringbuf_blocking"));
        try (LoadedObject loaded = LoadedObject.load(object);
             UserRingBufferWriter writer = loaded.userRingBuffer("requests");
             BpfProgram program = loaded.program("drain_on_syscall");
             Link link = program.attachRawTracepoint("sys_enter")) {
            GlobalView bss = GlobalView.of(object, loaded, ".bss");
            int full = fill(writer);
            AtomicBoolean written = new AtomicBoolean();
            // The drainer names itself to the program, then makes system calls (each drains) until the writer is through.
            Thread drainer = Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(100); // lets the writer reach its wait first; the test holds either way
                    bss.setInt("drainer_tid", Syscalls.gettid());
                    for (int i = 0; i < 3000 && !written.get(); i++) {
                        Syscalls.getpid();
                        Thread.sleep(20);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });

            boolean offered = writer.offer(RECORD, Duration.ofMinutes(2), record -> record.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, 1000L));
            written.set(true);
            drainer.join();

            assertThat(offered).as("the blocked offer went through after the drain").isTrue();
            assertThat(bss.getLong("records")).as("the drain before the offer").isGreaterThanOrEqualTo(full);
            bss.setInt("drainer_tid", Syscalls.gettid());
            Syscalls.getpid();
            assertThat(bss.getLong("records")).as("every record, the blocked one last").isEqualTo(full + 1);
            assertThat(bss.getLong("sum")).isEqualTo(full + 1000L);
        }
    }

    @Test
    void anOfferThatFindsNoRoomBeforeItsTimeoutReturnsFalseAndWritesNothing() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("user_ringbuf_blocking"));
        try (LoadedObject loaded = LoadedObject.load(object);
             UserRingBufferWriter writer = loaded.userRingBuffer("requests");
             BpfProgram program = loaded.program("drain_on_syscall");
             Link link = program.attachRawTracepoint("sys_enter")) {
            GlobalView bss = GlobalView.of(object, loaded, ".bss");
            int full = fill(writer);

            boolean offered = writer.offer(new byte[RECORD], Duration.ofMillis(200));

            assertThat(offered).as("no program drained, so the timeout passed").isFalse();
            bss.setInt("drainer_tid", Syscalls.gettid());
            Syscalls.getpid();
            assertThat(bss.getLong("records")).as("only the records that fit, not the timed-out one").isEqualTo(full);
        }
    }
}
