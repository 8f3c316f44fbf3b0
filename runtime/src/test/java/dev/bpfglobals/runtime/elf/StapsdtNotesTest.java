package dev.bpfglobals.runtime.elf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The USDT notes of this JDK's own libjvm.so and of an ELF file written here, whose
 * {@code .stapsdt.base} was moved as prelink moves it, read as libbpf reads them.
 */
class StapsdtNotesTest {

    private static final Path LIBJVM = Path.of(System.getProperty("java.home"), "lib", "server", "libjvm.so");

    @TempDir
    Path dir;

    @Test
    void libjvmsHotspotProbesAreReadWithTheirArguments() {
        List<StapsdtNotes.Probe> probes = StapsdtNotes.read(LIBJVM);
        assertThat(probes).hasSizeGreaterThan(500);
        assertThat(probes).filteredOn(p -> p.name().equals("thread__start")).extracting(StapsdtNotes.Probe::provider)
                .containsOnly("hotspot");
        assertThat(probes).filteredOn(p -> p.name().equals("gc__begin")).extracting(StapsdtNotes.Probe::arguments)
                .contains("1@%dil");
        // libjvm's text segment starts at the same file offset as address, so each probe's offset is its address.
        assertThat(probes).allSatisfy(p -> assertThat(p.fileOffset()).isEqualTo(p.address()));
    }

    @Test
    void addressesMoveWithStapsdtBaseAndBecomeFileOffsetsThroughTheirSegment() throws IOException {
        // A note written at link time with base 0x2000; prelink since moved .stapsdt.base to 0x3000.
        Path file = TinyElf.write(dir.resolve("moved"), 0x3000, 0x2000, 0x1100, 0x4020);
        StapsdtNotes.Probe probe = StapsdtNotes.read(file).getFirst();
        assertThat(probe).isEqualTo(new StapsdtNotes.Probe("prov", "site", 0x2100, 0x2100 - 0x2000 + 0x800, 0x5020 - 0x5000 + 0x900,
                "-4@%edi 8@$3"));
    }

    @Test
    void aProbeOutsideEveryExecutableSegmentIsRefusedNamingIt() throws IOException {
        Path file = TinyElf.write(dir.resolve("outside"), 0x2000, 0x2000, 0x9100, 0);
        assertThatThrownBy(() -> StapsdtNotes.read(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(file + ": USDT probe prov:site is at 0x9100, in no executable segment of the file");
    }

    @Test
    void aFileThatIsNotElfIsRefused() throws IOException {
        Path file = Files.writeString(dir.resolve("text"), "not an ELF file at all, just words and more words".repeat(3));
        assertThatThrownBy(() -> StapsdtNotes.read(file))
                .hasMessage(file + ": not a 64-bit little-endian ELF executable or library");
    }

    /** A minimal ELF64: two PT_LOAD segments, a .stapsdt.base, one stapsdt note, a section name table. */
    static final class TinyElf {

        private TinyElf() {
        }

        static Path write(Path path, long baseNow, long baseInNote, long location, long semaphore) throws IOException {
            ByteBuffer elf = ByteBuffer.allocate(0x1000).order(ByteOrder.LITTLE_ENDIAN);
            byte[] names = "\0.shstrtab\0.stapsdt.base\0.note.stapsdt\0".getBytes();
            elf.putInt(0, 0x464c457f).put(4, (byte) 2).put(5, (byte) 1).put(6, (byte) 1);
            elf.putShort(16, (short) 3).putShort(18, (short) 62);
            elf.putLong(0x20, 0x40).putShort(0x36, (short) 56).putShort(0x38, (short) 2); // program headers
            elf.putLong(0x28, 0x200).putShort(0x3a, (short) 64).putShort(0x3c, (short) 4).putShort(0x3e, (short) 1);
            segment(elf, 0x40, 5, 0x800, 0x2000, 0x400); // R E: 0x2000.. at file 0x800
            segment(elf, 0x78, 6, 0x900, 0x5000, 0x100); // RW: 0x5000.. at file 0x900
            elf.put(0x100, names);
            section(elf, 1, 1, 3, 0, 0x100, names.length); // .shstrtab
            section(elf, 2, 11, 1, baseNow, 0x180, 1); // .stapsdt.base
            // The note: namesz 8, descsz, type 3, "stapsdt\0", then location, base, semaphore, strings.
            byte[] strings = "prov\0site\0-4@%edi 8@$3\0".getBytes();
            int note = 0x300;
            elf.putInt(note, 8).putInt(note + 4, 24 + strings.length).putInt(note + 8, 3).put(note + 12, "stapsdt\0".getBytes());
            elf.putLong(note + 20, location).putLong(note + 28, baseInNote).putLong(note + 36, semaphore).put(note + 44, strings);
            section(elf, 3, 25, 7, 0, note, 20 + 24 + strings.length + 3 & ~3);
            return Files.write(path, elf.array());
        }

        private static void segment(ByteBuffer elf, int at, int flags, long offset, long address, long size) {
            elf.putInt(at, 1).putInt(at + 4, flags).putLong(at + 8, offset).putLong(at + 16, address)
                    .putLong(at + 32, size).putLong(at + 40, size);
        }

        private static void section(ByteBuffer elf, int index, int name, int type, long address, long offset, long size) {
            int at = 0x200 + index * 64;
            elf.putInt(at, name).putInt(at + 4, type).putLong(at + 16, address).putLong(at + 24, offset).putLong(at + 32, size);
        }
    }
}
