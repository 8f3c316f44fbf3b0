package dev.bpfglobals.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.runtime.elf.ElfFile;
import dev.bpfglobals.runtime.elf.ElfSection;
import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.runtime.testing.ObjectFuzzer;
import dev.bpfglobals.runtime.testing.ObjectMutations;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/** Bad and hostile objects end in one BpfFormatException naming the problem: never another exception, OOM or hang. */
class ObjectRobustnessTest {

    private static byte[] bytes(String object) throws Exception {
        return Files.readAllBytes(BpfObjects.compile(object));
    }

    private static ByteBuffer little(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void objectForAnotherMachineIsRefusedNamingIt() throws Exception {
        byte[] bytes = bytes("globals");
        little(bytes).putShort(18, (short) 62);

        assertThatThrownBy(() -> ObjectSpec.open(bytes)).isInstanceOf(BpfFormatException.class)
                .hasMessage("not a valid BPF object: e_machine 62 is not EM_BPF (247): compile with clang -target bpf");
    }

    @Test
    void thirtyTwoBitObjectIsRefused() throws Exception {
        byte[] bytes = bytes("globals");
        bytes[4] = 1;

        assertThatThrownBy(() -> ObjectSpec.open(bytes)).isInstanceOf(BpfFormatException.class).hasMessageContaining("ELFCLASS64");
    }

    @Test
    void truncatedObjectSaysWhatLiesOutside() throws Exception {
        byte[] bytes = bytes("globals");

        assertThatThrownBy(() -> ObjectSpec.open(Arrays.copyOf(bytes, 30))).isInstanceOf(BpfFormatException.class)
                .hasMessageContaining("an ELF64 header alone is 64");
        assertThatThrownBy(() -> ObjectSpec.open(Arrays.copyOf(bytes, bytes.length / 2))).isInstanceOf(BpfFormatException.class)
                .hasMessageContaining("lies outside the " + bytes.length / 2 + "-byte file");
    }

    @Test
    void sectionOffsetOutOfRangeNamesTheSection() throws Exception {
        byte[] bytes = bytes("globals");
        ObjectSurgery.setSectionField(bytes, ".data", 24, 1L << 40);

        assertThatThrownBy(() -> ObjectSpec.open(bytes)).isInstanceOf(BpfFormatException.class)
                .hasMessageContaining("(.data) at offset 1099511627776").hasMessageContaining("lies outside");
    }

    @Test
    void hugeZeroFilledSectionIsRefusedBeforeAllocating() throws Exception {
        byte[] bytes = bytes("globals");
        ObjectSurgery.setSectionField(bytes, ".bss", 32, 1L << 40);

        assertThatThrownBy(() -> ObjectSpec.open(bytes)).isInstanceOf(BpfFormatException.class)
                .hasMessageContaining(".bss claims 1099511627776");
    }

    @Test
    void btfTypeLoopInsideAnObjectIsRefused() throws Exception {
        byte[] bytes = bytes("globals");
        int btf = ObjectSurgery.sectionStart(bytes, ".BTF");
        int types = btf + little(bytes).getInt(btf + 4) + little(bytes).getInt(btf + 8);
        // Type 1 is clang's TYPEDEF __u8: make it name itself.
        assertThat(little(bytes).getInt(types + 4) >>> 24).isEqualTo(8);
        little(bytes).putInt(types + 8, 1);

        assertThatThrownBy(() -> ObjectSpec.open(bytes)).isInstanceOf(BpfFormatException.class)
                .hasMessageContaining("section .BTF: type reference loop through type 1 (TYPEDEF '__u8')");
    }

    @Test
    void btfMemberCountBeyondTheSectionIsRefused() throws Exception {
        byte[] bytes = bytes("globals");
        int btf = ObjectSurgery.sectionStart(bytes, ".BTF");
        int types = btf + little(bytes).getInt(btf + 4) + little(bytes).getInt(btf + 8);
        little(bytes).putInt(types + 4, 4 << 24 | 0xffff); // type 1 becomes a struct of 65535 members

        assertThatThrownBy(() -> ObjectSpec.open(bytes)).isInstanceOf(BpfFormatException.class)
                .hasMessageContaining("786420 bytes needed for 65535 members");
    }

    @Test
    void mapsOfMapsWithoutAMapsSectionAreRefusedNamingTheMap() throws Exception {
        // Found by ObjectSpecFuzzTest: map_in_map.bpf.o with its section names shifted (no section is
        // called .maps any more) and its .maps DATASEC given a size, so no fixup needs the section.
        byte[] bytes = Files.readAllBytes(java.nio.file.Path.of(
                "src/test/resources/dev/bpfglobals/runtime/ObjectSpecFuzzTestInputs/open/finding-maps-of-maps-without-a-maps-section"));

        assertThatThrownBy(() -> ObjectSpec.open(bytes)).isInstanceOf(BpfFormatException.class)
                .hasMessageContaining("with values[], but the object has no .maps section to hold them");
    }

    @Test
    void relocationOutsideTheProgramIsRefused() throws Exception {
        byte[] bytes = bytes("calls");
        ElfFile elf = ElfFile.read(bytes);
        ElfSection rel = elf.relocationSectionsFor(elf.section("tc").orElseThrow()).get(0);
        little(bytes).putLong((int) rel.offset(), 4096);

        assertThatThrownBy(() -> ObjectSpec.open(bytes)).isInstanceOf(BpfFormatException.class)
                .hasMessageContaining("relocation at byte 4096 of section tc is not the start of one of its 3 instructions");
    }

    @Test
    void callIntoTheMiddleOfAFunctionIsRefused() throws Exception {
        byte[] bytes = bytes("calls");
        int tc = ObjectSurgery.sectionStart(bytes, "tc");
        little(bytes).putInt(tc + 8 + 4, 4); // call 4: instruction 5 of .text, inside add

        assertThatThrownBy(() -> ObjectSpec.open(bytes)).isInstanceOf(BpfFormatException.class)
                .hasMessageContaining("function 'on_skb', instruction 1: the call target, instruction 5 of section .text,"
                        + " is not the start of a function");
    }

    @Test
    void datasecVariableWithoutASymbolIsNamed() throws Exception {
        byte[] bytes = bytes("globals");
        ElfFile elf = ElfFile.read(bytes);
        ElfSection symtab = elf.sections().stream().filter(s -> s.type() == ElfFile.SHT_SYMTAB).findFirst().orElseThrow();
        int limit = elf.symbols().stream().filter(s -> s.name().equals("limit")).findFirst().orElseThrow().index();
        int license = elf.symbols().stream().filter(s -> s.name().equals("LICENSE")).findFirst().orElseThrow().index();
        // The symbol of 'limit' now carries the name LICENSE: nothing in .data is called 'limit' any more.
        little(bytes).putInt((int) symtab.offset() + 24 * limit, little(bytes).getInt((int) symtab.offset() + 24 * license));

        assertThatThrownBy(() -> ObjectSpec.open(bytes)).isInstanceOf(BpfFormatException.class)
                .hasMessageContaining("BTF DATASEC '.data': variable 'limit' has no symbol in section .data");
    }

    @Test
    void mutatedObjectsEndInAnObjectOrTheFormatError() throws Exception {
        Map<String, byte[]> valid = ObjectFuzzer.inputs(
                "globals", bytes("globals"), "calls", bytes("calls"), "all_maps", bytes("all_maps"), "core", bytes("core"),
                "data_verdict", bytes("data_verdict"), "compat_counter", bytes("compat_counter"),
                "globals-bpfeb", Files.readAllBytes(BpfObjects.compileBigEndian("globals")),
                "calls-bpfeb", Files.readAllBytes(BpfObjects.compileBigEndian("calls")));
        ObjectFuzzer fuzzer = ObjectFuzzer.fromSystemProperties(400);

        ObjectFuzzer.Summary summary = Assertions.assertTimeoutPreemptively(
                Duration.ofSeconds(Math.max(120, fuzzer.iterations() / 10)),
                () -> fuzzer.run(valid, new ObjectMutations(), ObjectSpec::open,
                        thrown -> ObjectFuzzer.isFormatError(thrown, BpfFormatException.class)));

        assertThat(summary.total()).isEqualTo(fuzzer.iterations());
        assertThat(summary.refused()).as("mutants refused").isPositive();
        assertThat(summary.accepted()).as("mutants still readable (harmless changes)").isPositive();
        if (fuzzer.iterations() >= 200) {
            assertThat(summary.byMutation()).as("every mutation was tried").containsOnlyKeys(ObjectMutations.NAMES);
        }
    }

    @Test
    void theFuzzCorpusIsTheSameForTheSameSeed() throws Exception {
        Map<String, byte[]> valid = ObjectFuzzer.inputs("calls", bytes("calls"));
        ObjectFuzzer one = new ObjectFuzzer(7, 50, java.nio.file.Path.of("target/fuzz-crashers"));
        ObjectFuzzer two = new ObjectFuzzer(7, 50, java.nio.file.Path.of("target/fuzz-crashers"));

        var first = one.corpus(valid, new ObjectMutations());
        var second = two.corpus(valid, new ObjectMutations());

        for (int i = 0; i < first.size(); i++) {
            assertThat(second.get(i).mutation()).isEqualTo(first.get(i).mutation());
            assertThat(second.get(i).bytes()).isEqualTo(first.get(i).bytes());
        }
    }
}
