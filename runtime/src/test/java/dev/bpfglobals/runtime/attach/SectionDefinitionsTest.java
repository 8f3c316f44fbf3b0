package dev.bpfglobals.runtime.attach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.runtime.internal.KprobeMulti;
import dev.bpfglobals.runtime.internal.Links;
import org.junit.jupiter.api.Test;

/**
 * The one table of program sections: each section name finds the row libbpf's {@code section_defs}
 * would give it (exact rows before the kind rows they refine, a leading {@code ?} aside), and
 * {@link SectionAttach} reads how to attach from that row, refusing, before any syscall, sections
 * that name no target.
 */
class SectionDefinitionsTest {

    @Test
    void everyPrefixHasOneRow() {
        assertThat(SectionDefinitions.all()).extracting(SectionDefinition::prefix).doesNotHaveDuplicates();
    }

    @Test
    void aSectionsKindBeforeTheFirstSlashNamesItsType() {
        assertThat(ProgramType.ofSection("kprobe/do_unlinkat")).isEqualTo(ProgramType.KPROBE);
        assertThat(ProgramType.ofSection("tp/syscalls/sys_enter_getpid")).isEqualTo(ProgramType.TRACEPOINT);
        assertThat(ProgramType.ofSection("fentry/9p:v9fs_statfs")).isEqualTo(ProgramType.TRACING);
        assertThat(ProgramType.ofSection("xdp")).isEqualTo(ProgramType.XDP);
    }

    @Test
    void theAutoloadMarkDoesNotChangeTheRow() {
        assertThat(SectionDefinitions.find("?tc")).isEqualTo(SectionDefinitions.find("tc"));
        assertThat(ProgramType.ofSection("?tc")).isEqualTo(ProgramType.SCHED_CLS);
    }

    @Test
    void cgroupSectionsAreKnownOnlyForTheHooksInTheTable() {
        assertThat(ProgramType.ofSection("cgroup/sock_release")).isEqualTo(ProgramType.CGROUP_SOCK);
        assertThat(ProgramType.ofSection("cgroup/skb")).isEqualTo(ProgramType.CGROUP_SKB);
        assertThat(ProgramType.ofSection("cgroup/connect4")).isEqualTo(ProgramType.UNSPEC);
        assertThat(ProgramType.ofSection("cgroup")).isEqualTo(ProgramType.UNSPEC);
    }

    @Test
    void anExactRowRefinesTheKindRowWithItsExpectedAttachType() {
        assertThat(SectionDefinitions.find("cgroup_skb/egress").orElseThrow().expectedAttachType())
                .isEqualTo(Links.CGROUP_INET_EGRESS);
        assertThat(SectionDefinitions.find("cgroup_skb/other").orElseThrow().prefix()).isEqualTo("cgroup_skb");
        assertThat(SectionDefinitions.find("cgroup/sock").orElseThrow().expectedAttachType())
                .isEqualTo(Links.CGROUP_INET_SOCK_CREATE);
        assertThat(SectionDefinitions.find("kretprobe.multi/__x64_sys_getp*").orElseThrow().expectedAttachType())
                .isEqualTo(KprobeMulti.ATTACH_TYPE);
    }

    @Test
    void devmapAndCpumapXdpProgramsLoadWithTheirMapsAttachType() {
        // BPF_XDP_DEVMAP (33) and BPF_XDP_CPUMAP (35): without it the verifier refuses a devmap program's helpers.
        assertThat(SectionDefinitions.find("xdp/devmap").orElseThrow().expectedAttachType()).isEqualTo(33);
        assertThat(SectionDefinitions.find("?xdp.frags/devmap").orElseThrow().expectedAttachType()).isEqualTo(33);
        assertThat(SectionDefinitions.find("xdp/cpumap").orElseThrow().expectedAttachType()).isEqualTo(35);
        assertThat(SectionDefinitions.find("xdp/other").orElseThrow().expectedAttachType()).isZero();
    }

    @Test
    void onlyTheTracingIteratorAndLsmKindsNameABtfTarget() {
        assertThat(SectionDefinitions.all()).filteredOn(row -> row.has(SectionFlag.ATTACH_BTF))
                .extracting(SectionDefinition::prefix)
                .containsExactly("tp_btf", "fentry", "fexit", "fmod_ret", "iter", "iter.s", "lsm", "lsm.s");
    }

    @Test
    void theDotSRowsLoadSleepableWithTheAttachTypeOfTheirPlainRow() {
        assertThat(SectionDefinitions.all()).filteredOn(row -> row.has(SectionFlag.SLEEPABLE))
                .extracting(SectionDefinition::prefix)
                .containsExactly("uprobe.multi.s", "uretprobe.multi.s", "iter.s", "lsm.s", "struct_ops.s");
        assertThat(SectionDefinitions.find("uretprobe.multi.s//bin/true:main").orElseThrow().expectedAttachType())
                .isEqualTo(SectionDefinitions.find("uprobe.multi//bin/true:main").orElseThrow().expectedAttachType())
                .isEqualTo(dev.bpfglobals.runtime.internal.UprobeMulti.ATTACH_TYPE);
        assertThat(SectionDefinitions.find("lsm.s/file_open").orElseThrow().expectedAttachType()).isEqualTo(Links.LSM_MAC);
        assertThat(ProgramType.ofSection("lsm.s/file_open")).isEqualTo(ProgramType.LSM);
        assertThat(ProgramType.ofSection("iter/task")).isEqualTo(ProgramType.TRACING);
    }

    @Test
    void aSectionOfAnUnknownKindHasNoRow() {
        assertThat(SectionDefinitions.find("bg_no_such_kind/dctcp_init")).isEmpty();
        assertThat(ProgramType.ofSection("bg_no_such_kind/dctcp_init")).isEqualTo(ProgramType.UNSPEC);
    }

    @Test
    void structOpsSectionsAreStructOpsProgramsThatTheirMapRegisters() {
        assertThat(ProgramType.ofSection("struct_ops/dctcp_init")).isEqualTo(ProgramType.STRUCT_OPS);
        assertThat(SectionDefinitions.find("struct_ops.s/dctcp_init").orElseThrow().has(SectionFlag.SLEEPABLE)).isTrue();
        assertThat(SectionDefinitions.find("struct_ops/dctcp_init").orElseThrow().manualAttach()).contains("LoadedObject.attach(mapName)");
    }

    @Test
    void aTargetedSectionWithoutItsTargetIsRefusedNamingTheMethod() {
        assertThatThrownBy(() -> SectionAttach.attach(null, "probe", "kretsyscall"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("program 'probe' in section 'kretsyscall' names no kretsyscall target; attach it with the "
                        + "BpfProgram method that takes one (attachKretprobe(function))");
    }

    @Test
    void aSectionThatNamesNoTargetIsRefusedNamingTheMethodThatTakesOne() {
        assertThatThrownBy(() -> SectionAttach.attach(null, "count", "cgroup_skb/ingress"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("program 'count' in section 'cgroup_skb/ingress' cannot be attached from its section name alone; "
                        + "use the BpfProgram method for its target (attachCgroup(cgroupDirectory, CgroupHook.INET_INGRESS "
                        + "or INET_EGRESS))");
    }

    @Test
    void anXdpSectionNamesAttachXdp() {
        assertThatThrownBy(() -> SectionAttach.attach(null, "pass", "xdp"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("program 'pass' in section 'xdp' cannot be attached from its section name alone; "
                        + "use the BpfProgram method for its target (attachXdp(interfaceName, XdpMode))");
    }

    @Test
    void aSectionWithoutAnAttachSaysSo() {
        assertThatThrownBy(() -> SectionAttach.attach(null, "police", "action"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith("(this loader has no attach for it yet)");
    }
}
