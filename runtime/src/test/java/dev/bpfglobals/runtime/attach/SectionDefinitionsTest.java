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
        assertThat(ProgramType.ofSection("cgroup/connect4")).isEqualTo(ProgramType.CGROUP_SOCK_ADDR);
        assertThat(ProgramType.ofSection("cgroup/no_such_hook")).isEqualTo(ProgramType.UNSPEC);
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
                .containsExactly("lsm_cgroup", "tp_btf", "fentry", "fexit", "fmod_ret", "iter", "iter.s", "lsm", "lsm.s",
                        "tp_btf.s", "fentry.s", "fexit.s", "fmod_ret.s");
    }

    @Test
    void theDotSRowsLoadSleepableWithTheAttachTypeOfTheirPlainRow() {
        assertThat(SectionDefinitions.all()).filteredOn(row -> row.has(SectionFlag.SLEEPABLE))
                .extracting(SectionDefinition::prefix)
                .containsExactly("uprobe.multi.s", "uretprobe.multi.s", "iter.s", "lsm.s", "syscall", "struct_ops.s", "uprobe.s", "uretprobe.s",
                        "usdt.s", "tracepoint.s", "tp.s", "raw_tracepoint.s", "raw_tp.s", "tp_btf.s", "fentry.s", "fexit.s", "fmod_ret.s");
        assertThat(SectionDefinitions.find("uretprobe.multi.s//bin/true:main").orElseThrow().expectedAttachType())
                .isEqualTo(SectionDefinitions.find("uprobe.multi//bin/true:main").orElseThrow().expectedAttachType())
                .isEqualTo(dev.bpfglobals.runtime.internal.UprobeMulti.ATTACH_TYPE);
        assertThat(SectionDefinitions.find("lsm.s/file_open").orElseThrow().expectedAttachType()).isEqualTo(Links.LSM_MAC);
        assertThat(ProgramType.ofSection("lsm.s/file_open")).isEqualTo(ProgramType.LSM);
        assertThat(ProgramType.ofSection("iter/task")).isEqualTo(ProgramType.TRACING);
    }

    @Test
    void everyCgroupSectionNamesItsHook() {
        assertThat(CgroupHook.ofSection("cgroup/getsockname6")).contains(CgroupHook.INET6_GETSOCKNAME);
        assertThat(CgroupHook.ofSection("sockops")).contains(CgroupHook.SOCK_OPS);
        assertThat(CgroupHook.ofSection("lsm_cgroup/socket_bind")).contains(CgroupHook.LSM_CGROUP);
        assertThat(CgroupHook.ofSection("cgroup_skb/egress")).contains(CgroupHook.INET_EGRESS);
        assertThat(CgroupHook.ofSection("cgroup_skb")).as("either way").isEmpty();
        assertThat(CgroupHook.ofSection("lsm/file_open")).isEmpty();
        assertThat(CgroupHook.ofSection("kprobe/do_unlinkat")).isEmpty();
    }

    @Test
    void everyPrefixOfLibbpfsTableHasARow() {
        // libbpf 7.3's section_defs: each either loads here or is refused by name.
        for (String prefix : java.util.List.of("socket", "sk_reuseport/migrate", "sk_reuseport", "kprobe", "uprobe", "kretprobe",
                "uretprobe", "kprobe.multi", "kretprobe.multi", "kprobe.session", "uprobe.multi", "uretprobe.multi",
                "uprobe.session", "uprobe.multi.s", "uretprobe.multi.s", "uprobe.session.s", "ksyscall", "kretsyscall", "usdt",
                "uprobe.s", "uretprobe.s", "usdt.s", "tracepoint.s", "tp.s", "raw_tracepoint.s", "raw_tp.s", "tp_btf.s", "fentry.s",
                "fexit.s", "fmod_ret.s",
                "tcx/ingress", "tcx/egress", "tc", "classifier", "action", "netkit/primary", "netkit/peer", "tracepoint", "tp",
                "raw_tracepoint", "raw_tp", "raw_tracepoint.w", "raw_tp.w", "tp_btf", "fentry", "fmod_ret", "fexit", "fsession",
                "fsession.s", "fsession.multi", "fsession.multi.s", "fentry.multi", "fexit.multi", "fentry.multi.s", "fexit.multi.s",
                "freplace", "struct_ops", "struct_ops.s", "lsm", "lsm.s", "lsm_cgroup", "iter", "iter.s", "syscall", "xdp.frags/devmap", "xdp/devmap",
                "xdp.frags/cpumap", "xdp/cpumap", "xdp.frags", "xdp", "perf_event", "lwt_in", "lwt_out", "lwt_xmit", "lwt_seg6local",
                "sockops", "sk_skb/stream_parser", "sk_skb/stream_verdict", "sk_skb/verdict", "sk_skb", "sk_msg", "lirc_mode2",
                "flow_dissector", "cgroup_skb/ingress", "cgroup_skb/egress", "cgroup/skb", "cgroup/sock_create",
                "cgroup/sock_release", "cgroup/sock", "cgroup/post_bind4", "cgroup/post_bind6", "cgroup/bind4", "cgroup/bind6",
                "cgroup/connect4", "cgroup/connect6", "cgroup/connect_unix", "cgroup/sendmsg4", "cgroup/sendmsg6",
                "cgroup/sendmsg_unix", "cgroup/recvmsg4", "cgroup/recvmsg6", "cgroup/recvmsg_unix", "cgroup/getpeername4",
                "cgroup/getpeername6", "cgroup/getpeername_unix", "cgroup/getsockname4", "cgroup/getsockname6",
                "cgroup/getsockname_unix", "cgroup/sysctl", "cgroup/getsockopt", "cgroup/setsockopt", "cgroup/dev", "sk_lookup",
                "netfilter")) {
            assertThat(SectionDefinitions.find(prefix)).as(prefix).isPresent();
        }
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
