package dev.bpfglobals.runtime.elf;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.bpfglobals.runtime.testing.ReaderProperty;

/**
 * Coverage-guided fuzzing of {@link ElfFile} (docs/fuzzing.md): any bytes end in a parsed file whose
 * sections, symbols and relocations all fit in those bytes, or in one {@link ElfFormatException}.
 * Without {@code JAZZER_FUZZ} it replays {@code ElfFileFuzzTestInputs/read/} in the test resources.
 */
class ElfFileFuzzTest {

    @FuzzTest
    void read(byte[] input) {
        ReaderProperty.readOrRefuse(input, bytes -> {
            ElfFile elf = ElfFile.read(bytes);
            ReaderProperty.boundedByInput("section headers", elf.sections().size(), 64, bytes.length);
            ReaderProperty.boundedByInput("symbols", elf.symbols().size(), 24, bytes.length);
            for (ElfSection section : elf.sections()) {
                if (section.type() == ElfFile.SHT_REL) {
                    ReaderProperty.boundedByInput("relocations", elf.relocations(section).size(), 16, bytes.length);
                }
                if (!section.isNoBits() && section.index() > 0) {
                    elf.view(section);
                }
            }
            return elf;
        }, ElfFormatException.class);
    }
}
