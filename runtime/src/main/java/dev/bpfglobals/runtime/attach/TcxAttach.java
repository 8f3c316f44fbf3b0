package dev.bpfglobals.runtime.attach;

import dev.bpfglobals.runtime.internal.Links;
import dev.bpfglobals.runtime.kernel.BpfException;
import dev.bpfglobals.runtime.kernel.BpfFd;
import dev.bpfglobals.runtime.kernel.Errno;

/**
 * Attaches SCHED_CLS programs ({@code tcx/ingress}, {@code tcx/egress}, {@code tc}) to an interface
 * through TCX (kernel 6.6+) alone; {@link TcAttach} falls back to a clsact filter where there is none.
 */
public final class TcxAttach {

    private TcxAttach() {
    }

    /**
     * Attaches {@code program} to {@code direction} of {@code interfaceName}, after the programs already there.
     *
     * @param program the SCHED_CLS program's descriptor, which stays the caller's
     * @param interfaceName the network interface, e.g. {@code eth0}
     * @param direction ingress or egress
     * @return the attachment, which detaches when closed
     * @throws IllegalArgumentException where there is no such interface
     * @throws UnsupportedOperationException where the kernel has no TCX, naming the way out
     */
    public static Link attach(BpfFd program, String interfaceName, TcxDirection direction) {
        int ifindex = TcAttach.interfaceIndex(interfaceName);
        String what = "TCX " + direction + " of " + interfaceName;
        try {
            return Link.of(what, Links.createOnInterface(program, ifindex, direction.attachType(), what));
        } catch (BpfException e) {
            // EINVAL is also the verdict on a wrong program type: "no TCX" only where the kernel lacks the attach type.
            if (e.errno() == Errno.EINVAL && !Links.kernelKnowsTcx(ifindex, direction.attachType())) {
                throw new UnsupportedOperationException(what + ": BPF_LINK_CREATE refused with EINVAL, and this kernel ("
                        + System.getProperty("os.version") + ") does not know the TCX attach types (BPF_PROG_QUERY of them "
                        + "answers EINVAL too): it has no TCX (6.6+); attachTc(\"" + interfaceName + "\", TcxDirection."
                        + direction + ") attaches it as a clsact filter where there is no TCX", e);
            }
            throw e;
        }
    }
}
