package dev.bpfglobals.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bpfglobals.contract.ContractReport;
import dev.bpfglobals.contract.GlobalsContract;
import dev.bpfglobals.contract.LayoutDifference;
import dev.bpfglobals.contract.MapType;
import dev.bpfglobals.contract.SectionContract;
import dev.bpfglobals.contract.VariableContract;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An object checked against a record's contract: a per-section, per-variable report of drift. */
class ContractCheckTest {

    /** The contract a record mirroring globals.bpf.c's .percpu would have (the clang layout globals.bpf.c defines: offsets 0, 8, 16, 20, 28, 33; size 34). */
    static final SectionContract PERCPU = new SectionContract(".percpu", MapType.PERCPU_ARRAY, 4, 34, 1, 8, List.of(
            new VariableContract("a", "__u8", 0, 1, 1),
            new VariableContract("b", "__u64", 8, 8, 8),
            new VariableContract("c", "__u16", 16, 2, 2),
            new VariableContract("d", "struct pair", 20, 8, 4),
            new VariableContract("name", "__s8[5]", 28, 5, 1),
            new VariableContract("e", "__u8", 33, 1, 1)));

    @Test
    void matchingContractHasNoDifferences() throws Exception {
        ContractReport report = ObjectSpecTest.globals().checkAgainst(new GlobalsContract("t.R", List.of(PERCPU)));

        assertThat(report.matches()).isTrue();
        assertThat(report.differences()).isEmpty();
        assertThat(report.sections()).singleElement().satisfies(s -> assertThat(s.present()).isTrue());
    }

    @Test
    void driftIsReportedVariableByVariable() throws Exception {
        SectionContract drifted = new SectionContract(".percpu", MapType.PERCPU_ARRAY, 4, 40, 1, 8, List.of(
                new VariableContract("a", "__u8", 0, 1, 1),
                new VariableContract("b", "__u64", 8, 8, 8),
                new VariableContract("c", "__u32", 16, 4, 4),
                new VariableContract("extra", "__u64", 32, 8, 8)));

        ContractReport report = ObjectSpecTest.globals().checkAgainst(new GlobalsContract("t.R", List.of(drifted)));

        assertThat(report.matches()).isFalse();
        assertThat(report.differences()).extracting(LayoutDifference::describe).containsExactlyInAnyOrder(
                "value size expected 40 bytes, found 34 bytes",
                "variable 'c': size expected 4 bytes, found 2 bytes",
                "variable 'c': C type expected __u32, found __u16",
                "variable 'extra': expected at offset 32, not found",
                "variable 'd': not expected, found at offset 20",
                "variable 'name': not expected, found at offset 28",
                "variable 'e': not expected, found at offset 33");
    }

    @Test
    void theStaleObjectMessageNamesRecordObjectEachSideHeaderAndCommand() throws Exception {
        SectionContract moved = new SectionContract(".percpu", MapType.PERCPU_ARRAY, 4, 34, 1, 8,
                PERCPU.variables().stream().map(v -> v.name().equals("a") ? new VariableContract("a", "__u8", 1, 1, 1) : v).toList());

        String message = ObjectSpecTest.globals().checkAgainst(new GlobalsContract("t.R", List.of(moved)))
                .describeStaleObject("bpf/globals.bpf.o");

        assertThat(message).isEqualTo("""
                BPF object bpf/globals.bpf.o does not match the Java record t.R (expected: the record; found: the object):
                  .percpu: variable 'a': offset expected 1, found 0
                It was built from another version of the record, or its C source declares these globals itself. \
                Rebuild bpf/globals.bpf.o against the record's header META-INF/bpf-globals/t.R.h, which the bpf-globals \
                processor writes to the record's class output: with bpf-globals-maven-plugin (goal compile-bpf), or \
                clang -O2 -g -target bpf -I/usr/include/$(uname -m)-linux-gnu -I<class output>/META-INF/bpf-globals \
                [-DBPF_GLOBALS_COMPAT] -c NAME.bpf.c -o NAME.bpf.o""");
    }

    @Test
    void sameSizeButOtherSignIsDrift() throws Exception {
        List<VariableContract> variables = PERCPU.variables().stream()
                .map(v -> v.name().equals("b") ? new VariableContract("b", "__s64", 8, 8, 8) : v).toList();
        SectionContract signed = new SectionContract(".percpu", MapType.PERCPU_ARRAY, 4, 34, 1, 8, variables);

        ContractReport report = ObjectSpecTest.globals().checkAgainst(new GlobalsContract("t.R", List.of(signed)));

        assertThat(report.differences()).extracting(LayoutDifference::describe)
                .containsExactly("variable 'b': C type expected __s64, found __u64");
    }

    @Test
    void sectionTheObjectLacksIsADifferenceInItsOwnSectionReport() throws Exception {
        SectionContract other = new SectionContract(".data.other", MapType.ARRAY, 4, 4, 1, 4,
                List.of(new VariableContract("z", "__u32", 0, 4, 4)));

        ContractReport report = ObjectSpecTest.globals().checkAgainst(new GlobalsContract("t.R", List.of(PERCPU, other)));

        assertThat(report.sections()).extracting(ContractReport.SectionReport::section, ContractReport.SectionReport::matches)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(".percpu", true), org.assertj.core.groups.Tuple.tuple(".data.other", false));
        assertThat(report.sections().get(1).present()).isFalse();
        assertThat(report.describe()).isEqualTo(".data.other: section expected, not found\n");
    }

    @Test
    void sectionsTheContractDoesNotMentionAreNotDrift() throws Exception {
        ContractReport report = ObjectSpecTest.globals().checkAgainst(new GlobalsContract("t.R", List.of(PERCPU)));

        assertThat(report.sections()).extracting(ContractReport.SectionReport::section).containsExactly(".percpu");
    }
}
