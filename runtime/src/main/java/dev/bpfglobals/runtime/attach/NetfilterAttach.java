package dev.bpfglobals.runtime.attach;

import dev.bpfglobals.runtime.internal.Links;
import dev.bpfglobals.runtime.kernel.BpfException;
import dev.bpfglobals.runtime.kernel.BpfFd;
import dev.bpfglobals.runtime.kernel.Errno;

/**
 * Attaches NETFILTER programs ({@code netfilter}, kernel 6.4+) to a netfilter hook of the calling
 * thread's network namespace with BPF_LINK_CREATE of attach type {@code BPF_NETFILTER}, as
 * libbpf's {@code bpf_program__attach_netfilter} does. The program's return is the packet's verdict:
 * {@code NF_ACCEPT} (1) lets it on, {@code NF_DROP} (0) drops it.
 */
public final class NetfilterAttach {

    /** {@code BPF_F_NETFILTER_IP_DEFRAG} (6.6+): the program sees whole, reassembled IP packets. */
    private static final int IP_DEFRAG = 1;
    /** {@code NF_IP_PRI_CONNTRACK_DEFRAG}: with defragmentation, the program must run after it. */
    private static final int DEFRAG_PRIORITY = -400;

    private NetfilterAttach() {
    }

    /**
     * Attaches {@code program} at {@code hook} of {@code family} with {@code priority}.
     *
     * @param program the NETFILTER program's descriptor, which stays the caller's
     * @param family the packets' protocol family
     * @param hook the netfilter hook
     * @param priority where among the hook's functions it runs, lower first ({@code NF_IP_PRI_FILTER} is 0);
     *                 neither {@link Integer#MIN_VALUE} nor {@link Integer#MAX_VALUE}, which the kernel keeps for itself
     * @param defragment whether the program sees reassembled packets ({@code BPF_F_NETFILTER_IP_DEFRAG}, 6.6+);
     *                   then {@code priority} must be above -400 ({@code NF_IP_PRI_CONNTRACK_DEFRAG})
     * @return the attachment, which detaches when closed
     * @throws IllegalArgumentException for a priority the kernel refuses, or a program that is not NETFILTER
     * @throws UnsupportedOperationException where the kernel cannot defragment for BPF
     */
    public static Link attach(BpfFd program, NetfilterFamily family, NetfilterHook hook, int priority, boolean defragment) {
        String what = "netfilter " + family + " " + hook + " priority " + priority + (defragment ? " with defragmentation" : "");
        if (priority == Integer.MIN_VALUE || priority == Integer.MAX_VALUE) {
            throw new IllegalArgumentException(what + ": the kernel keeps priorities " + Integer.MIN_VALUE + " and "
                    + Integer.MAX_VALUE + " (NF_IP_PRI_FIRST, NF_IP_PRI_LAST) for itself; choose one between them");
        }
        if (defragment && priority <= DEFRAG_PRIORITY) {
            throw new IllegalArgumentException(what + ": a program that sees defragmented packets runs after "
                    + "defragmentation (NF_IP_PRI_CONNTRACK_DEFRAG, " + DEFRAG_PRIORITY + "), so its priority must be above "
                    + DEFRAG_PRIORITY);
        }
        try {
            return Link.of(what, Links.createNetfilter(program, family.protocolFamily(), hook.hookNumber(), priority,
                    defragment ? IP_DEFRAG : 0, what));
        } catch (BpfException e) {
            if (e.errno() == Errno.EOPNOTSUPP && defragment) {
                throw new UnsupportedOperationException(what + ": BPF_LINK_CREATE refused with EOPNOTSUPP: this kernel ("
                        + System.getProperty("os.version") + ") cannot defragment for BPF programs (BPF_F_NETFILTER_IP_DEFRAG, "
                        + "6.6+, with nf_defrag_ipv4/ipv6); attach without defragmentation", e);
            }
            if (e.errno() == Errno.EINVAL) {
                throw new IllegalArgumentException(what + ": BPF_LINK_CREATE refused with EINVAL: the program is not a "
                        + "NETFILTER one (load it from a SEC(\"netfilter\") section)", e);
            }
            throw e;
        }
    }
}
