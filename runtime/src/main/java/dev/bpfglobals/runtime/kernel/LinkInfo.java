package dev.bpfglobals.runtime.kernel;

import java.util.List;

/**
 * What the kernel reports about a BPF link ({@code struct bpf_link_info}'s common part).
 *
 * @param id         the link's id, system-wide
 * @param kernelType {@code enum bpf_link_type}
 * @param programId  the id of the program the link runs (a detached link may still name it)
 */
public record LinkInfo(int id, int kernelType, int programId) {

    /** {@code enum bpf_link_type}'s names, by number, as bpftool prints them. */
    private static final List<String> TYPES = List.of("unspec", "raw_tracepoint", "tracing", "cgroup", "iter", "netns",
            "xdp", "perf_event", "kprobe_multi", "struct_ops", "netfilter", "tcx", "uprobe_multi", "netkit", "sockmap");

    /** {@return the link type's name as bpftool prints it ({@code xdp}, {@code perf_event}), or its number} */
    public String typeName() {
        return kernelType >= 0 && kernelType < TYPES.size() ? TYPES.get(kernelType) : "type " + kernelType;
    }
}
