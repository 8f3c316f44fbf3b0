package dev.bpfglobals.runtime.btf;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.bpfglobals.runtime.testing.ReaderProperty;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Coverage-guided fuzzing of {@link BtfExtReader} (docs/fuzzing.md): any {@code .BTF.ext} read against
 * any BTF ends in records that fit in its bytes, or in one {@link BtfFormatException}. An input is
 * framed as the BTF's length (4 bytes, little-endian), the BTF, then the {@code .BTF.ext}.
 * Without {@code JAZZER_FUZZ} it replays {@code BtfExtReaderFuzzTestInputs/read/} in the test resources.
 */
class BtfExtReaderFuzzTest {

    /** The fewest bytes one record takes: a func_info, {@code insn_off} and {@code type_id}. */
    private static final int SMALLEST_RECORD = 8;

    @FuzzTest
    void read(byte[] input) {
        ReaderProperty.readOrRefuse(input, bytes -> {
            int btfLength = bytes.length < 4 ? 0
                    : (int) Math.min(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getInt(0) & 0xffffffffL, bytes.length - 4);
            byte[] btf = Arrays.copyOfRange(bytes, Math.min(4, bytes.length), Math.min(4, bytes.length) + btfLength);
            byte[] ext = Arrays.copyOfRange(bytes, Math.min(4, bytes.length) + btfLength, bytes.length);
            BtfExt read = BtfExtReader.read(ext, btf);
            long records = read.funcInfo().size() + read.lineInfo().size() + read.coreRelocations().size();
            ReaderProperty.boundedByInput("records", records, SMALLEST_RECORD, ext.length);
            return read;
        }, BtfFormatException.class);
    }
}
