package dev.bpfglobals.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bpfglobals.contract.MapType;
import dev.bpfglobals.runtime.btf.BtfReader;
import dev.bpfglobals.runtime.btf.BtfType;
import dev.bpfglobals.runtime.internal.loader.Relocation;
import dev.bpfglobals.runtime.testing.BpfObjects;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** Global sections of real clang output: variables, C types, offsets, sizes, initial images, and the DATASEC fix-up. */
class ObjectSpecTest {

    static ObjectSpec globals() throws Exception {
        return ObjectSpec.open(BpfObjects.compile("globals"));
    }

    @Test
    void percpuSectionHasContractMdsOffsetsAndSize34() throws Exception {
        GlobalSection percpu = globals().globalSection(".percpu").orElseThrow();

        assertThat(percpu.size()).isEqualTo(34);
        assertThat(percpu.variables()).extracting(GlobalVariable::name).containsExactly("a", "b", "c", "d", "name", "e");
        assertThat(percpu.variables()).extracting(GlobalVariable::offset).containsExactly(0, 8, 16, 20, 28, 33);
        assertThat(percpu.variables()).extracting(GlobalVariable::size).containsExactly(1, 8, 2, 8, 5, 1);
        assertThat(percpu.mapType()).isEqualTo(MapType.PERCPU_ARRAY);
        assertThat(percpu.alignment()).isEqualTo(8);
    }

    @Test
    void variablesCarryTheirCTypesAndAlignmentsFromBtf() throws Exception {
        GlobalSection percpu = globals().globalSection(".percpu").orElseThrow();

        assertThat(percpu.variables()).extracting(GlobalVariable::cType)
                .containsExactly("__u8", "__u64", "__u16", "struct pair", "__s8[5]", "__u8");
        assertThat(percpu.variables()).extracting(GlobalVariable::alignment).containsExactly(1, 8, 2, 4, 1, 1);
        assertThat(percpu.variables()).allMatch(GlobalVariable::global);
    }

    @Test
    void initialImageHoldsTheCInitialisers() throws Exception {
        GlobalSection percpu = globals().globalSection(".percpu").orElseThrow();
        ByteBuffer image = ByteBuffer.wrap(percpu.initialImage()).order(ByteOrder.LITTLE_ENDIAN);

        assertThat(image.getShort(16)).isEqualTo((short) 7);
        assertThat(new String(percpu.initialImage(), 28, 5)).isEqualTo("abcd\0");
    }

    @Test
    void btfDatasecIsFixedUpFromSymbolsAndSectionSize() throws Exception {
        ObjectSpec object = globals();
        BtfType.Datasec fixed = object.btf().orElseThrow().datasec(".percpu").orElseThrow();
        BtfType.Datasec raw = BtfReader.read(object.rawBtf().orElseThrow()).datasec(".percpu").orElseThrow();

        assertThat(fixed.size()).isEqualTo(34);
        assertThat(fixed.entries()).extracting(BtfType.VarSecinfo::offset).containsExactly(0, 8, 16, 20, 28, 33);
        assertThat(raw.size()).isZero(); // what clang wrote, kept as it was
        assertThat(object.globalSection(".percpu").orElseThrow().btfDatasecId())
                .isEqualTo(object.btf().orElseThrow().datasecId(".percpu").getAsInt());
    }

    @Test
    void dataSectionLaysOutScalarsArraysEnumsAndBools() throws Exception {
        GlobalSection data = globals().globalSection(".data").orElseThrow();

        // limit (4) at 0, offsets (3 x __s64) at 8, state (enum) at 32, enabled (_Bool) at 36: 37 bytes
        assertThat(data.variables()).extracting(GlobalVariable::name, GlobalVariable::cType, GlobalVariable::offset)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("limit", "__u32", 0),
                        org.assertj.core.groups.Tuple.tuple("offsets", "__s64[3]", 8),
                        org.assertj.core.groups.Tuple.tuple("state", "enum mode", 32),
                        org.assertj.core.groups.Tuple.tuple("enabled", "_Bool", 36));
        assertThat(data.size()).isEqualTo(37);
        assertThat(ByteBuffer.wrap(data.initialImage()).order(ByteOrder.LITTLE_ENDIAN).getLong(16)).isEqualTo(2);
    }

    @Test
    void bssIsZeroFilledAndRodataIsReadOnly() throws Exception {
        ObjectSpec object = globals();
        GlobalSection bss = object.globalSection(".bss").orElseThrow();
        GlobalSection rodata = object.globalSection(".rodata").orElseThrow();

        assertThat(bss.variables()).extracting(GlobalVariable::name, GlobalVariable::cType)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("seen", "__u64"), org.assertj.core.groups.Tuple.tuple("last", "struct pair"));
        assertThat(bss.initialImage()).hasSize(16).containsOnly(0);
        assertThat(bss.mapType()).isEqualTo(MapType.ARRAY);
        assertThat(rodata.isReadOnly()).isTrue();
        assertThat(object.globalSection(".data").orElseThrow().isReadOnly()).isFalse();
        assertThat(rodata.variables()).extracting(GlobalVariable::cType).containsExactly("__u32"); // const volatile seen through
    }

    @Test
    void customDataAndRodataSectionsAreGlobalSectionsToo() throws Exception {
        ObjectSpec object = globals();

        assertThat(object.globalSections()).extracting(GlobalSection::name)
                .containsExactlyInAnyOrder(".percpu", ".data", ".rodata", ".data.custom", ".rodata.custom", ".bss");
        assertThat(object.globalSection(".rodata.custom").orElseThrow().isReadOnly()).isTrue();
        assertThat(object.globalSection(".data.custom").orElseThrow().variable("custom_counter").orElseThrow().cType())
                .isEqualTo("__u16");
    }

    @Test
    void licenseIsReadUpToItsNul() throws Exception {
        assertThat(globals().license()).isEqualTo("Dual BSD/GPL");
    }

    @Test
    void bigEndianObjectHasTheSameLayoutWithBigEndianImages() throws Exception {
        ObjectSpec big = ObjectSpec.open(BpfObjects.compileBigEndian("globals"));
        GlobalSection percpu = big.globalSection(".percpu").orElseThrow();

        assertThat(big.byteOrder()).isEqualTo(ByteOrder.BIG_ENDIAN);
        assertThat(percpu.variables()).isEqualTo(globals().globalSection(".percpu").orElseThrow().variables());
        assertThat(ByteBuffer.wrap(percpu.initialImage()).getShort(16)).isEqualTo((short) 7);
    }

    @Test
    void objectWithoutBtfStillListsVariablesFromSymbols() throws Exception {
        byte[] bytes = Files.readAllBytes(BpfObjects.compile("globals"));
        ObjectSurgery.renameSection(bytes, ".BTF", ".XTF"); // the object has no .BTF.ext: it has no programs

        ObjectSpec object = ObjectSpec.open(bytes);

        GlobalSection percpu = object.globalSection(".percpu").orElseThrow();
        assertThat(object.btf()).isEmpty();
        assertThat(percpu.variables()).extracting(GlobalVariable::offset).containsExactly(0, 8, 16, 20, 28, 33);
        assertThat(percpu.variables()).extracting(GlobalVariable::cType).containsOnly("");
    }

    @Test
    void settingAGlobalImageBeforeLoadChangesOnlyThatSection() throws Exception {
        ObjectSpec object = globals();
        byte[] image = new byte[37];
        image[0] = 42;

        ObjectSpec changed = object.withGlobalImage(".data", image);

        assertThat(changed.globalSection(".data").orElseThrow().initialImage()[0]).isEqualTo((byte) 42);
        assertThat(object.globalSection(".data").orElseThrow().initialImage()[0]).isNotEqualTo((byte) 42);
        assertThat(changed.globalSection(".percpu")).isEqualTo(object.globalSection(".percpu"));
    }

    @Test
    void staticsLocalStaticsAndHiddenGlobalsAreFixedUpToo() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("statics"));
        GlobalSection data = object.globalSection(".data").orElseThrow();

        assertThat(data.variables()).extracting(GlobalVariable::name, GlobalVariable::offset, GlobalVariable::global)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("hidden_var", 0, false),
                        org.assertj.core.groups.Tuple.tuple("on_packet.local_static", 4, false),
                        org.assertj.core.groups.Tuple.tuple("file_static", 8, false));
        assertThat(object.globalSection(".rodata").orElseThrow().variables()).extracting(GlobalVariable::name, GlobalVariable::cType)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("on_packet.____fmt", "__s8[6]"),
                        org.assertj.core.groups.Tuple.tuple("ro_static", "__s32"));
        assertThat(object.program("on_packet").orElseThrow().relocations()).extracting(Relocation::kind)
                .containsOnly(Relocation.Kind.GLOBAL_DATA);
    }
}
