package dev.bpfglobals.runtime.attach;

import dev.bpfglobals.runtime.internal.Links;
import dev.bpfglobals.runtime.kernel.BpfException;
import dev.bpfglobals.runtime.kernel.BpfFd;
import dev.bpfglobals.runtime.kernel.Errno;

/**
 * Attaches TRACING programs ({@code tp_btf/}, {@code fentry/}, {@code fexit/}, {@code fmod_ret/})
 * to the kernel function or BTF tracepoint they were verified for at load, through a BPF trampoline.
 */
public final class TracingAttach {

    private TracingAttach() {
    }

    /**
     * Attaches TRACING program {@code program}, named {@code programName} in what the link and errors
     * say, its link carrying {@code options}' cookie ({@code BPF_LINK_CREATE} with
     * {@code link_create.tracing.cookie}, as libbpf's {@code bpf_program__attach_trace_opts}).
     *
     * @param program the program's descriptor, which stays the caller's
     * @param programName the program's name, for the link's description and errors
     * <p>A tp_btf program's cookie needs Linux 6.10. Kernels 6.0 to 6.9 take a tp_btf link with a cookie
     * and drop the cookie ({@code bpf_get_attach_cookie} reads 0): the kernel says nothing this side
     * could tell apart from a cookie taken, so the caller must know the kernel is 6.10 or newer.
     *
     * @param options the cookie (a semaphore or a process are uprobes' alone)
     * @return the attachment, which detaches when closed
     * @throws IllegalArgumentException where no tracing kind takes the program with a cookie, or for uprobe options
     * @throws BpfException naming the errno where the kernel refuses the attach itself
     */
    public static Link attach(BpfFd program, String programName, AttachOptions options) {
        String what = "tracing program " + programName;
        options.requireNoUprobeOptions(what);
        if (options.cookie() == 0) {
            return attach(program, programName);
        }
        // The kernel does not report a program's expected attach type, but BPF_LINK_CREATE refuses any other with
        // EINVAL before it attaches anything: the kinds are tried in turn.
        for (int attachType : new int[] {Links.TRACE_FENTRY, Links.TRACE_FEXIT, Links.MODIFY_RETURN, Links.TRACE_RAW_TP}) {
            java.util.Optional<BpfFd> link = Links.createTracing(program, attachType, options.cookie(), what);
            if (link.isPresent()) {
                return Link.of(what, link.get());
            }
        }
        throw new IllegalArgumentException(what + ": BPF_LINK_CREATE with a cookie failed with EINVAL for fentry, fexit, fmod_ret and "
                + "tp_btf alike: the program is no TRACING program of those kinds, or the kernel takes no cookie on "
                + "tracing links (fentry/fexit/fmod_ret 6.0+, tp_btf 6.10+)");
    }

    /**
     * As {@link #attach(BpfFd, String, AttachOptions)} without options, through {@code BPF_RAW_TRACEPOINT_OPEN}.
     *
     * @param program the program's descriptor, which stays the caller's
     * @param programName the program's name, for the link's description and errors
     * @return the attachment, which detaches when closed
     * @throws UnsupportedOperationException where the kernel has no BPF trampolines
     * @throws BpfException naming the errno: {@code EINVAL} for a program of another type
     */
    public static Link attach(BpfFd program, String programName) {
        String what = "tracing program " + programName;
        try {
            return Link.of(what, Links.openTracing(program, what));
        } catch (BpfException e) {
            if (e.errno() == Errno.ENOTSUPP || e.errno() == Errno.EOPNOTSUPP) {
                throw new UnsupportedOperationException(what + ": the kernel refused with " + e.errno()
                        + ": it cannot attach fentry/fexit/fmod_ret here (no BPF trampolines on this architecture or build); "
                        + "use a kprobe, a tracepoint or tp_btf instead", e);
            }
            throw e;
        }
    }
}
