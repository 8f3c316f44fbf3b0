package dev.bpfglobals.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/** Records written from Java into a user ring buffer, drained by a real BPF program ({@code bpf_user_ringbuf_drain}). */
@RequiresBpf
class UserRingBufferWriterTest {

    private static long bss(LoadedObject loaded, ObjectSpec object, String name) {
        return loaded.globalData(".bss").get(ValueLayout.JAVA_LONG,
                object.globalSection(".bss").orElseThrow().variable(name).orElseThrow().offset());
    }

    private static void drain(LoadedObject loaded) {
        try (BpfProgram program = loaded.program("drain")) {
            program.testRunOnCpu(new long[0], PossibleCpus.system().cpuAt(0));
        }
    }

    private static boolean offerValue(UserRingBufferWriter writer, long value, int size) {
        return writer.offer(size, record -> record.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, value));
    }

    @Test
    void everyCommittedRecordIsDrainedByTheProgramAndADiscardedOneSkipped() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("user_ringbuf"));
        try (LoadedObject loaded = LoadedObject.load(object);
             UserRingBufferWriter writer = loaded.userRingBuffer("requests")) {
            long expected = 0;
            for (int i = 1; i <= 20; i++) {
                assertThat(offerValue(writer, i * 1000L, 8 + (i % 5))).isTrue();
                expected += i * 1000L;
            }
            assertThatThrownBy(() -> writer.offer(16, record -> {
                throw new IllegalStateException("no");
            })).hasMessage("no");
            assertThat(writer.offer(new byte[] {1, 2, 3})).isTrue();

            drain(loaded);

            assertThat(bss(loaded, object, "records")).isEqualTo(21);
            assertThat(bss(loaded, object, "short_records")).isEqualTo(1);
            assertThat(bss(loaded, object, "sum")).isEqualTo(expected);
            assertThat(bss(loaded, object, "drained")).isEqualTo(21);
        }
    }

    @Test
    void aFullRingRefusesARecordUntilTheProgramDrainsItAndRecordsWrapWhole() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("user_ringbuf"));
        try (LoadedObject loaded = LoadedObject.load(object);
             UserRingBufferWriter writer = loaded.userRingBuffer("requests")) {
            long expected = 0;
            long written = 0;
            // 4 KiB of 40-byte slots: the 103rd does not fit until the program drains; the next rounds wrap.
            for (int round = 0; round < 3; round++) {
                int accepted = 0;
                while (offerValue(writer, written + 1, 32)) {
                    expected += ++written;
                    accepted++;
                }
                assertThat(accepted).as("round %d", round).isPositive().isLessThanOrEqualTo(4096 / 40);
                drain(loaded);
            }

            assertThat(bss(loaded, object, "records")).isEqualTo(written);
            assertThat(bss(loaded, object, "sum")).isEqualTo(expected);
        }
    }

    @Test
    void aRecordLargerThanTheRingIsRefusedNamingBothSizes() throws Exception {
        try (LoadedObject loaded = LoadedObject.load(ObjectSpec.open(BpfObjects.compile("user_ringbuf")));
             UserRingBufferWriter writer = loaded.userRingBuffer("requests")) {
            assertThatThrownBy(() -> writer.offer(new byte[5000]))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("a record of 5000 bytes (5008 with its header) does not fit a user ring buffer of 4096 bytes");
        }
    }

    @Test
    void aRingBufferForTheKernelToWriteIsRefusedNamingItsType() throws Exception {
        try (LoadedObject loaded = LoadedObject.load(ObjectSpec.open(BpfObjects.compile("ringbuf")))) {
            assertThatThrownBy(() -> loaded.userRingBuffer("events"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageEndingWith("is a RINGBUF map, not a USER_RINGBUF");
        }
    }
}
