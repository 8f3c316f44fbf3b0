package dev.bpfglobals.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.runtime.btf.Btf;
import dev.bpfglobals.runtime.btf.BtfReader;
import dev.bpfglobals.runtime.btf.BtfType;
import dev.bpfglobals.runtime.elf.ElfFile;
import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.runtime.testing.HostileBtf;
import dev.bpfglobals.runtime.testing.ReaderProperty;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Sizes an object's BTF states are checked against what they describe before anything is
 * allocated or read: type chains no deeper than the kernel's resolve depth, a DATASEC entry against
 * its variable's type ({@code __kconfig} externs: {@code internal.loader.KconfigLimitsTest}).
 */
class HostileSizesTest {

    @Test
    void aDatasecEntrySmallerThanItsVariablesTypeIsRefused() throws Exception {
        byte[] object = Files.readAllBytes(BpfObjects.compile("globals"));
        Btf btf = BtfReader.read(BpfObjects.section(BpfObjects.compile("globals"), ".BTF"));
        int var = varNamed(btf, "custom_counter");
        int entrySize = entrySizeWord(object, var, 2);
        ByteBuffer.wrap(object).order(ByteOrder.LITTLE_ENDIAN).putInt(entrySize, 1);

        assertThatThrownBy(() -> ObjectSpec.open(object)).isInstanceOf(BpfFormatException.class)
                .hasMessageContaining("BTF DATASEC '.data.custom' gives variable 'custom_counter' 1 bytes, but its type"
                        + " __u16 has 2");
    }

    @Test
    void zeroFilledSectionsOverTheLimitTogetherAreRefused() throws Exception {
        byte[] object = Files.readAllBytes(BpfObjects.compile("globals"));
        // .data.custom becomes a second NOBITS section: 1.5 GiB each, under the kernel's INT_MAX alone, over it together.
        int custom = ObjectSurgery.headerOf(object, ElfFile.read(object).section(".data.custom").orElseThrow().index());
        ByteBuffer.wrap(object).order(ByteOrder.LITTLE_ENDIAN).putInt(custom + 4, ElfFile.SHT_NOBITS);
        ObjectSurgery.setSectionField(object, ".data.custom", 32, 3L << 29);
        ObjectSurgery.setSectionField(object, ".bss", 32, 3L << 29);

        assertThatThrownBy(() -> ObjectSpec.open(object)).isInstanceOf(BpfFormatException.class)
                .hasMessageContaining("zero-filled sections up to .bss claim 3221225472 bytes together, more than the 2147483647 allowed");
    }

    @Test
    void aOneGibBssOpensWithoutItsZerosBeingAllocated() throws Exception {
        byte[] object = Files.readAllBytes(BpfObjects.compile("globals"));
        ObjectSurgery.setSectionField(object, ".bss", 32, 1L << 30);

        // No claimable allowance: the reader may allocate only in proportion to the object's bytes.
        ObjectSpec spec = ReaderProperty.readOrRefuse(object, ObjectSpec::open, BpfFormatException.class).orElseThrow();
        GlobalSection bss = spec.globalSection(".bss").orElseThrow();
        assertThat(bss.size()).isEqualTo(1 << 30);
        assertThat(bss.layout().valueSize()).isEqualTo(1 << 30);
    }

    @Test
    void anObjectWithTwentyThousandNestedArraysListedTwentyThousandTimesIsRefusedAtTheResolveDepth() throws Exception {
        byte[] object = HostileBtf.withBtf(Files.readAllBytes(BpfObjects.compile("globals")),
                HostileBtf.nestedArrays(20_000, 20_000));

        assertThatThrownBy(() -> ObjectSpec.open(object)).isInstanceOf(BpfFormatException.class)
                .hasMessageContaining("type 34 (ARRAY) is built on more than 32 pointers, modifiers, typedefs and arrays");
    }

    private static int varNamed(Btf btf, String name) {
        for (int id = 1; id < btf.size(); id++) {
            if (btf.type(id) instanceof BtfType.Var v && v.name().equals(name)) {
                return id;
            }
        }
        throw new AssertionError("no VAR " + name);
    }

    /** The file offset of the size word of the one DATASEC entry {@code (var, offset, size)} in the object's .BTF. */
    private static int entrySizeWord(byte[] object, int var, int size) {
        int start = ObjectSurgery.sectionStart(object, ".BTF");
        ByteBuffer bytes = ByteBuffer.wrap(object).order(ByteOrder.LITTLE_ENDIAN);
        List<Integer> found = new ArrayList<>();
        for (int at = start; at + 12 <= object.length; at += 4) {
            if (bytes.getInt(at) == var && bytes.getInt(at + 8) == size) {
                found.add(at + 8);
            }
        }
        assertThat(found).as("entries of VAR " + var).hasSize(1);
        return found.getFirst();
    }
}
