package dev.bpfglobals.runtime.btf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.runtime.testing.ObjectFuzzer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/** Mutated BTF and BTF.ext blobs end in a result or the one BtfFormatException. */
class BtfFuzzTest {

    /** Truncation, random bytes, or a word set to a value that breaks readers. */
    private static final ObjectFuzzer.Mutator WORDS = (valid, random) -> {
        byte[] bytes = valid.clone();
        switch (random.nextInt(3)) {
            case 0 -> {
                return new ObjectFuzzer.Mutator.Result("truncate", Arrays.copyOf(bytes, random.nextInt(bytes.length)));
            }
            case 1 -> {
                for (int i = 0; i < 1 + random.nextInt(8); i++) {
                    bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
                }
                return new ObjectFuzzer.Mutator.Result("random-bytes", bytes);
            }
            default -> {
                int[] values = {0, 1, 0xffff, 0x7fffffff, -1, 0x0d000001, 0x04000000 | 0xffff, random.nextInt()};
                int at = 4 * random.nextInt(bytes.length / 4);
                ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder()).putInt(at, values[random.nextInt(values.length)]);
                return new ObjectFuzzer.Mutator.Result("word", bytes);
            }
        }
    };

    @Test
    void mutatedBtfEndsInTypesOrTheFormatError() throws Exception {
        Map<String, byte[]> valid = ObjectFuzzer.inputs(
                "globals", BpfObjects.section(BpfObjects.compile("globals"), ".BTF"),
                "calls", BpfObjects.section(BpfObjects.compile("calls"), ".BTF"),
                "written", BtfWriter.write(BtfWriterTest.everyKind()));
        ObjectFuzzer fuzzer = ObjectFuzzer.fromSystemProperties(400);

        ObjectFuzzer.Summary summary = Assertions.assertTimeoutPreemptively(Duration.ofSeconds(Math.max(120, fuzzer.iterations() / 10)),
                () -> fuzzer.run(valid, WORDS, BtfReader::read, t -> ObjectFuzzer.isFormatError(t, BtfFormatException.class)));

        assertThat(summary.refused()).isPositive();
        assertThat(summary.accepted()).isPositive();
    }

    @Test
    void mutatedBtfExtEndsInRecordsOrTheFormatError() throws Exception {
        Path calls = BpfObjects.compile("calls");
        byte[] btf = BpfObjects.section(calls, ".BTF");
        Map<String, byte[]> valid = ObjectFuzzer.inputs("calls", BpfObjects.section(calls, ".BTF.ext"),
                "core", BpfObjects.section(BpfObjects.compile("core"), ".BTF.ext"));
        byte[] coreBtf = BpfObjects.section(BpfObjects.compile("core"), ".BTF");
        ObjectFuzzer fuzzer = ObjectFuzzer.fromSystemProperties(400);

        ObjectFuzzer.Summary summary = Assertions.assertTimeoutPreemptively(Duration.ofSeconds(Math.max(120, fuzzer.iterations() / 10)),
                () -> fuzzer.run(valid, WORDS, ext -> {
                    // Each blob names strings of its own object's BTF; try both, as a mixed-up file would.
                    BtfExtReader.read(ext, btf);
                    BtfExtReader.read(ext, coreBtf);
                }, t -> ObjectFuzzer.isFormatError(t, BtfFormatException.class)));

        assertThat(summary.refused()).isPositive();
    }
}
