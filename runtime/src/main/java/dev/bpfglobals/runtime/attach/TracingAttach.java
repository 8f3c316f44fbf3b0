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
     * Attaches TRACING program {@code program}, named {@code programName} in what the link and errors say.
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
