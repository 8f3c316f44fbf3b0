package dev.bpfglobals.runtime;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.bpfglobals.runtime.testing.ReaderProperty;

/**
 * Coverage-guided fuzzing of {@link ObjectSpec#open(byte[])} (docs/fuzzing.md): any bytes end in a
 * spec whose programs fit in those bytes and whose every global section's C type can be asked for
 * (as {@code bpf-globals inspect} asks), or in one {@link BpfFormatException}. Without
 * {@code JAZZER_FUZZ} it replays {@code ObjectSpecFuzzTestInputs/open/} in the test resources.
 */
class ObjectSpecFuzzTest {

    /**
     * What any object may make the reader allocate regardless of its size: nothing, since zero-filled
     * sections (up to {@code GlobalsReader.MAX_NOBITS} together) get their zeros only when loaded or asked for.
     */
    private static final long CLAIMABLE = 0;
    /** Bytes per instruction slot. */
    private static final int INSTRUCTION = 8;

    @FuzzTest
    void open(byte[] input) {
        ReaderProperty.readOrRefuse(input, bytes -> {
            ObjectSpec spec = ObjectSpec.open(bytes);
            long instructions = 0;
            for (ProgramSpec program : spec.programs()) {
                instructions += program.instructionCount();
            }
            for (ProgramSpec function : spec.subprograms()) {
                instructions += function.instructionCount();
            }
            ReaderProperty.boundedByInput("instructions", instructions, INSTRUCTION, bytes.length);
            for (GlobalSection section : spec.globalSections()) {
                spec.sectionType(section.name());
                section.layout();
            }
            spec.toString();
            return spec;
        }, BpfFormatException.class, CLAIMABLE);
    }
}
