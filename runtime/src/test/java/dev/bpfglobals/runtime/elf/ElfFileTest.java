package dev.bpfglobals.runtime.elf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.runtime.testing.BpfObjects;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The ELF64 reader on clang's output in both byte orders, and on broken headers. */
class ElfFileTest {

    private static byte[] calls() throws Exception {
        return Files.readAllBytes(BpfObjects.compile("calls"));
    }

    private static ElfFile read(byte[] bytes) {
        return ElfFile.read(bytes);
    }

    @Test
    void readsSectionsWithTheirNamesTypesAndFlags() throws Exception {
        ElfFile elf = read(calls());

        ElfSection text = elf.section(".text").orElseThrow();
        ElfSection maps = elf.section(".maps").orElseThrow();
        assertThat(text.isExecutable()).isTrue();
        assertThat(text.type()).isEqualTo(ElfFile.SHT_PROGBITS);
        assertThat(maps.isExecutable()).isFalse();
        assertThat(maps.isWritable()).isTrue();
        assertThat(elf.section(".data").orElseThrow().isAllocated()).isTrue();
        assertThat(elf.sections().get(0).name()).isEmpty();
        assertThat(elf.sections()).extracting(ElfSection::name).contains("xdp", "tc", "tracepoint/syscalls/sys_enter_getpid");
        assertThat(elf.byteOrder()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void readsSymbolsWithTypeBindingSectionValueAndSize() throws Exception {
        ElfFile elf = read(calls());

        ElfSymbol add = elf.symbols().stream().filter(s -> s.name().equals("add")).findFirst().orElseThrow();
        ElfSymbol counter = elf.symbols().stream().filter(s -> s.name().equals("counter")).findFirst().orElseThrow();
        assertThat(add.isFunction()).isTrue();
        assertThat(add.isGlobal()).isFalse();
        assertThat(elf.section(add.sectionIndex()).name()).isEqualTo(".text");
        assertThat(add.value()).isEqualTo(24); // after global_add's three instructions
        assertThat(counter.isObject()).isTrue();
        assertThat(counter.size()).isEqualTo(8);
        assertThat(elf.section(counter.sectionIndex()).name()).isEqualTo(".data");
    }

    @Test
    void readsTheRelocationsOfAProgramSection() throws Exception {
        ElfFile elf = read(calls());
        ElfSection xdp = elf.section("xdp").orElseThrow();

        assertThat(elf.relocationSectionsFor(xdp)).hasSize(1);
        var relocations = elf.relocations(elf.relocationSectionsFor(xdp).get(0));

        assertThat(relocations).extracting(ElfRelocation::offset).containsExactly(0x20L, 0x60L, 0x78L);
        // The middle entry is the section symbol of .text, which has no name of its own.
        assertThat(relocations).extracting(r -> elf.symbols().get(r.symbol()).name()).containsExactly("pinned", "", "global_add");
        assertThat(elf.symbols().get(relocations.get(1).symbol()).isSection()).isTrue();
        assertThat(relocations).extracting(ElfRelocation::type)
                .containsExactly(ElfFile.R_BPF_64_64, ElfFile.R_BPF_64_32, ElfFile.R_BPF_64_32);
    }

    @Test
    void aNullSectionOfAnotherTypeIsRefusedBeforeItsOffsetAndSizeAreBelieved() throws Exception {
        // Found by ElfFileFuzzTest: section 0 of type SHT_REL, never range-checked, made relocations()
        // read past the file (IndexOutOfBoundsException) or size a list by its 2^39-byte size.
        byte[] bytes = calls();
        ByteBuffer little = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int nullSection = (int) little.getLong(40);
        little.putInt(nullSection + 4, ElfFile.SHT_REL).putLong(nullSection + 32, 1L << 39);

        assertThatThrownBy(() -> read(bytes)).isInstanceOf(ElfFormatException.class)
                .hasMessage("section 0 is of type 9; the null section must be SHT_NULL (0)");
    }

    @Test
    void bigEndianObjectHasTheSameSectionsAndSymbols() throws Exception {
        ElfFile little = read(calls());
        ElfFile big = read(Files.readAllBytes(BpfObjects.compileBigEndian("calls")));

        assertThat(big.byteOrder()).isEqualTo(ByteOrder.BIG_ENDIAN);
        assertThat(big.sections()).extracting(ElfSection::name).isEqualTo(little.sections().stream().map(ElfSection::name).toList());
        assertThat(big.symbols()).extracting(ElfSymbol::name, ElfSymbol::value, ElfSymbol::size)
                .isEqualTo(little.symbols().stream().map(s -> org.assertj.core.groups.Tuple.tuple(s.name(), s.value(), s.size())).toList());
    }

    @Test
    void sectionViewAndContentsHoldTheSectionsBytes() throws Exception {
        ElfFile elf = read(calls());
        ElfSection data = elf.section(".data").orElseThrow();

        assertThat(elf.view(data).order(ByteOrder.LITTLE_ENDIAN).getLong(0)).isEqualTo(1); // __u64 counter = 1
        assertThat(elf.contents(data, 0)).hasSize(8);
        assertThat(elf.view(data).isReadOnly()).isTrue();
    }

    @Test
    void wrongClassIsRefused() throws Exception {
        byte[] bytes = calls();
        bytes[4] = 1;

        assertThatThrownBy(() -> read(bytes)).isInstanceOf(ElfFormatException.class).hasMessage("ELF class 1 is not ELFCLASS64 (2)");
    }

    @Test
    void wrongMachineIsRefusedWithAHint() throws Exception {
        byte[] bytes = calls();
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putShort(18, (short) 62);

        assertThatThrownBy(() -> read(bytes)).isInstanceOf(ElfFormatException.class)
                .hasMessage("e_machine 62 is not EM_BPF (247): compile with clang -target bpf");
    }

    @Test
    void linkedExecutableIsRefused() throws Exception {
        byte[] bytes = calls();
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putShort(16, (short) 2);

        assertThatThrownBy(() -> read(bytes)).isInstanceOf(ElfFormatException.class).hasMessageContaining("e_type 2 is not ET_REL");
    }

    @Test
    void badMagicAndEncodingAreRefused() throws Exception {
        byte[] magic = calls();
        magic[1] = 'X';
        byte[] encoding = calls();
        encoding[5] = 3;

        assertThatThrownBy(() -> read(magic)).isInstanceOf(ElfFormatException.class).hasMessageContaining("no ELF magic");
        assertThatThrownBy(() -> read(encoding)).isInstanceOf(ElfFormatException.class).hasMessageContaining("data encoding 3");
    }

    @Test
    void sectionHeaderTableOutsideTheFileIsRefused() throws Exception {
        byte[] bytes = calls();
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(40, bytes.length - 10);

        assertThatThrownBy(() -> read(bytes)).isInstanceOf(ElfFormatException.class)
                .hasMessageContaining("section header 0 at offset " + (bytes.length - 10));
    }

    @Test
    void hugeSectionCountIsRefusedBeforeAnythingIsAllocated() throws Exception {
        byte[] bytes = calls();
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putShort(60, (short) 0xfff0);

        assertThatThrownBy(() -> read(bytes)).isInstanceOf(ElfFormatException.class)
                .hasMessageContaining("65520 section headers");
    }

    @Test
    void sectionWhoseBytesLieOutsideTheFileIsNamed() throws Exception {
        byte[] bytes = calls();
        ElfSection text = read(bytes).section(".text").orElseThrow();
        long header = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(40) + 64L * text.index();
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong((int) header + 32, Long.MAX_VALUE);

        assertThatThrownBy(() -> read(bytes)).isInstanceOf(ElfFormatException.class)
                .hasMessageContaining("section " + text.index() + " (.text)").hasMessageContaining("lies outside");
    }

    @Test
    void relocationNamingAMissingSymbolIsRefused() throws Exception {
        byte[] bytes = calls();
        ElfFile elf = read(bytes);
        ElfSection rel = elf.relocationSectionsFor(elf.section("xdp").orElseThrow()).get(0);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt((int) rel.offset() + 12, 5000);

        assertThatThrownBy(() -> read(bytes).relocations(rel)).isInstanceOf(ElfFormatException.class)
                .hasMessageContaining("relocation 0 of " + rel.name() + " names symbol 5000");
    }

    @Test
    void everyTruncationIsAFormatError() throws Exception {
        byte[] good = calls();
        for (int length = 0; length < good.length; length += 7) {
            byte[] cut = Arrays.copyOf(good, length);
            assertThatThrownBy(() -> read(cut)).as("cut at %d", length).isInstanceOf(ElfFormatException.class);
        }
    }
}
