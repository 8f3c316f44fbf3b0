package dev.bpfglobals.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.bpfglobals.runtime.attach.ProgramType;
import dev.bpfglobals.runtime.internal.loader.Instructions;
import dev.bpfglobals.runtime.internal.loader.Relocation;
import dev.bpfglobals.runtime.testing.BpfObjects;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Programs, subprograms, relocations and program types of real clang output. */
class ProgramsTest {

    static ObjectSpec calls() throws Exception {
        return ObjectSpec.open(BpfObjects.compile("calls"));
    }

    @Test
    void everyFunctionOutsideTextIsAProgramOfItsSectionsType() throws Exception {
        assertThat(calls().programs()).extracting(ProgramSpec::name, ProgramSpec::section, ProgramSpec::type).containsExactly(
                tuple("on_packet", "xdp", ProgramType.XDP),
                tuple("on_skb", "tc", ProgramType.SCHED_CLS),
                tuple("on_socket", "socket", ProgramType.SOCKET_FILTER),
                tuple("on_getpid", "tracepoint/syscalls/sys_enter_getpid", ProgramType.TRACEPOINT),
                tuple("on_sys_enter", "raw_tp/sys_enter", ProgramType.RAW_TRACEPOINT),
                tuple("on_kprobe", "kprobe/do_nothing", ProgramType.KPROBE),
                tuple("on_custom", "my_custom_section", ProgramType.UNSPEC));
    }

    @Test
    void textFunctionsAreSubprogramsInAddressOrder() throws Exception {
        ObjectSpec object = calls();

        assertThat(object.subprograms()).extracting(ProgramSpec::name, ProgramSpec::sectionOffset, ProgramSpec::instructionCount)
                .containsExactly(tuple("global_add", 0, 3), tuple("add", 3, 13));
        assertThat(object.function("add")).contains(object.subprograms().get(1));
        assertThat(object.program("add")).isEmpty();
    }

    @Test
    void attachTargetIsWhatFollowsTheType() throws Exception {
        ObjectSpec object = calls();

        assertThat(object.program("on_getpid").orElseThrow().attachTarget()).isEqualTo("syscalls/sys_enter_getpid");
        assertThat(object.program("on_sys_enter").orElseThrow().attachTarget()).isEqualTo("sys_enter");
        assertThat(object.program("on_packet").orElseThrow().attachTarget()).isEmpty();
    }

    @Test
    void programRelocationsNameTheMapAndBothCallees() throws Exception {
        ProgramSpec program = calls().program("on_packet").orElseThrow();

        assertThat(program.relocations()).extracting(Relocation::instruction, Relocation::kind, Relocation::symbol, Relocation::section)
                .containsExactly(
                        tuple(4, Relocation.Kind.MAP, "pinned", ".maps"),
                        tuple(12, Relocation.Kind.CALL, "add", ".text"),
                        tuple(15, Relocation.Kind.CALL, "global_add", ".text"));
        assertThat(program.callees()).containsExactly("add", "global_add");
        assertThat(program.relocations().get(1).offset()).isEqualTo(3); // add starts at instruction 3 of .text
    }

    @Test
    void callsInsideOneSectionAreListedThoughTheyCarryNoRelocation() throws Exception {
        ProgramSpec globalAdd = calls().function("global_add").orElseThrow();

        assertThat(globalAdd.relocations()).containsExactly(new Relocation(0, Relocation.Kind.CALL, "add", ".text", 3));
    }

    @Test
    void globalDataReferencesGiveSectionAndOffset() throws Exception {
        ProgramSpec add = calls().function("add").orElseThrow();

        assertThat(add.relocations()).containsExactly(
                new Relocation(3, Relocation.Kind.GLOBAL_DATA, "counter", ".data", 0),
                new Relocation(8, Relocation.Kind.GLOBAL_DATA, "flags", ".data.extra", 0));
        long load = add.instructions()[3];
        assertThat(Instructions.opcode(load)).isEqualTo(Instructions.LD_IMM64);
    }

    @Test
    void instructionsAreTheSameWhateverTheObjectsByteOrder() throws Exception {
        ObjectSpec little = calls();
        ObjectSpec big = ObjectSpec.open(BpfObjects.compileBigEndian("calls"));

        for (ProgramSpec program : little.programs()) {
            ProgramSpec other = big.program(program.name()).orElseThrow();
            assertThat(Arrays.equals(other.instructions(), program.instructions())).as(program.name()).isTrue();
            assertThat(other.relocations()).as(program.name()).isEqualTo(program.relocations());
        }
    }

    @Test
    void instructionFieldsDecodeAsTheKernelReadsThem() throws Exception {
        long[] insns = calls().program("on_skb").orElseThrow().instructions();

        // r1 = 1; call 2 (a bpf-to-bpf call); exit
        assertThat(Instructions.opcode(insns[0])).isEqualTo(0xb7);
        assertThat(Instructions.dst(insns[0])).isEqualTo(1);
        assertThat(Instructions.imm(insns[0])).isEqualTo(1);
        assertThat(Instructions.src(insns[1])).isEqualTo(Instructions.PSEUDO_CALL);
        assertThat(Instructions.imm(insns[1])).isEqualTo(2);
        assertThat(Instructions.opcode(insns[2])).isEqualTo(0x95);
        assertThat(Instructions.of(0xb7, 1, 0, 0, 1)).isEqualTo(insns[0]);
    }

    @Test
    void eachProgramCarriesItsOwnBtfExtRecords() throws Exception {
        ObjectSpec object = calls();
        ProgramSpec add = object.function("add").orElseThrow();

        assertThat(add.btfExt().funcInfo()).singleElement().satisfies(f -> {
            assertThat(f.instruction()).isZero();
            assertThat(object.btf().orElseThrow().type(f.typeId()).name()).isEqualTo("add");
        });
        assertThat(add.btfExt().lineInfo()).allSatisfy(l -> assertThat(l.instruction()).isBetween(0, add.instructionCount() - 1));
        assertThat(add.btfExt().lineInfo()).isNotEmpty();
    }

    @Test
    void coreRelocationsAreKeptWithTheirProgram() throws Exception {
        ProgramSpec program = ObjectSpec.open(BpfObjects.compile("core")).program("read_tgid").orElseThrow();

        assertThat(program.btfExt().coreRelocations()).singleElement()
                .satisfies(core -> assertThat(core.describe()).startsWith("field byte offset of access 0:1"));
    }

    @Test
    void sectionNamesMapToProgramTypesAsLibbpfNamesThem() {
        assertThat(ProgramType.ofSection("xdp")).isEqualTo(ProgramType.XDP);
        assertThat(ProgramType.ofSection("xdp.frags")).isEqualTo(ProgramType.XDP);
        assertThat(ProgramType.ofSection("classifier/ingress")).isEqualTo(ProgramType.SCHED_CLS);
        assertThat(ProgramType.ofSection("tp/sched/sched_switch")).isEqualTo(ProgramType.TRACEPOINT);
        assertThat(ProgramType.ofSection("raw_tracepoint/sys_exit")).isEqualTo(ProgramType.RAW_TRACEPOINT);
        assertThat(ProgramType.ofSection("fentry/do_unlinkat")).isEqualTo(ProgramType.TRACING);
        assertThat(ProgramType.ofSection("xdpfoo")).isEqualTo(ProgramType.UNSPEC);
        assertThat(ProgramType.XDP.kernelValue()).isEqualTo(6);
    }
}
