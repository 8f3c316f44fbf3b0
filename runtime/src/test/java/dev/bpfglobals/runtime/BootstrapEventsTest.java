package dev.bpfglobals.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bpfglobals.runtime.attach.Link;
import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import dev.bpfglobals.runtime.testing.Tracefs;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A tracer written the libbpf-bootstrap way ({@code core_bootstrap.bpf.c}: vmlinux.h, CO-RE reads,
 * tracepoints, a ring buffer) loaded, attached, and its events read from Java for a process the
 * test starts: the exec and the exit of that very process, with its parent and exit code.
 */
@RequiresBpf
class BootstrapEventsTest {

    /** {@code struct event} of core_bootstrap.bpf.c. */
    private record Event(int pid, int ppid, int exitCode, long durationNs, String filename, boolean exit) {
        static Event of(MemorySegment e) {
            return new Event(e.get(ValueLayout.JAVA_INT, 0), e.get(ValueLayout.JAVA_INT, 4), e.get(ValueLayout.JAVA_INT, 8),
                    e.get(ValueLayout.JAVA_LONG, 16), string(e.asSlice(40, 64)), e.get(ValueLayout.JAVA_BYTE, 104) != 0);
        }

        private static String string(MemorySegment bytes) {
            byte[] raw = bytes.toArray(ValueLayout.JAVA_BYTE);
            int end = 0;
            while (end < raw.length && raw[end] != 0) {
                end++;
            }
            return new String(raw, 0, end, StandardCharsets.UTF_8);
        }
    }

    /** Its tp/ sections take their ids from tracefs, which a fresh machine may not have mounted yet. */
    @BeforeAll
    static void tracefs() throws Exception {
        Tracefs.ensureMounted();
    }

    @Test
    void theExecAndExitOfAProcessStartedHereArriveThroughTheRingBuffer() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compileWithVmlinux("core_bootstrap"));
        try (LoadedObject loaded = LoadedObject.load(object);
             Link exec = loaded.attach("on_exec");
             Link exit = loaded.attach("on_exit");
             RingBufferReader events = loaded.ringBuffer("events")) {
            Process child = new ProcessBuilder("/bin/sh", "-c", "exit 3").start();
            assertThat(child.waitFor()).isEqualTo(3);
            long pid = child.pid();
            List<Event> mine = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < deadline && mine.stream().noneMatch(Event::exit)) {
                events.poll(Duration.ofMillis(200), record -> {
                    Event event = Event.of(record);
                    if (event.pid() == pid) {
                        mine.add(event);
                    }
                });
            }

            int self = (int) ProcessHandle.current().pid();
            assertThat(mine).filteredOn(e -> !e.exit()).extracting(Event::filename).contains("/bin/sh");
            assertThat(mine).filteredOn(e -> !e.exit()).allSatisfy(e -> assertThat(e.ppid()).isEqualTo(self));
            assertThat(mine).filteredOn(Event::exit).singleElement().satisfies(e -> {
                assertThat(e.exitCode()).isEqualTo(3);
                assertThat(e.ppid()).isEqualTo(self);
                assertThat(e.durationNs()).isPositive();
            });
        }
    }
}
