package dev.bpfglobals.runtime.btf;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.bpfglobals.runtime.testing.ReaderProperty;

/**
 * Coverage-guided fuzzing of {@link BtfReader} (docs/fuzzing.md): any bytes end in types that fit in
 * those bytes, whose sizes and value types can be asked for, or in one {@link BtfFormatException}.
 * Without {@code JAZZER_FUZZ} it replays {@code BtfReaderFuzzTestInputs/read/} in the test resources.
 */
class BtfReaderFuzzTest {

    /** The fewest bytes one type takes in the type section: {@code struct btf_type} alone. */
    private static final int SMALLEST_TYPE = 12;

    @FuzzTest
    void read(byte[] input) {
        ReaderProperty.readOrRefuse(input, bytes -> {
            Btf btf = BtfReader.read(bytes);
            ReaderProperty.boundedByInput("types", btf.size() - 1, SMALLEST_TYPE, bytes.length);
            // What inspect and the loader ask of every DATASEC: its value type, each entry's type resolved.
            for (int id = 1; id < btf.size(); id++) {
                if (btf.type(id) instanceof BtfType.Datasec) {
                    BtfValueTypes.of(btf, id);
                }
            }
            return btf;
        }, BtfFormatException.class);
    }
}
