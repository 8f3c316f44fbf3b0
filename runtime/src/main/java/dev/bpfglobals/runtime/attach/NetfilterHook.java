package dev.bpfglobals.runtime.attach;

/**
 * The netfilter hook a {@code netfilter} program runs at ({@code enum nf_inet_hooks}), as
 * iptables names its chains: where in a packet's way through the IPv4 or IPv6 stack it is seen.
 */
public enum NetfilterHook {
    /** Every packet received, before the routing decision ({@code NF_INET_PRE_ROUTING}). */
    PRE_ROUTING(0),
    /** Packets for a local socket, after routing ({@code NF_INET_LOCAL_IN}, iptables' INPUT). */
    LOCAL_IN(1),
    /** Packets routed through this host to another ({@code NF_INET_FORWARD}). */
    FORWARD(2),
    /** Packets a local socket sends, before routing ({@code NF_INET_LOCAL_OUT}, iptables' OUTPUT). */
    LOCAL_OUT(3),
    /** Every packet leaving, after routing ({@code NF_INET_POST_ROUTING}). */
    POST_ROUTING(4);

    private final int hookNumber;

    NetfilterHook(int hookNumber) {
        this.hookNumber = hookNumber;
    }

    /** {@return the hook's number in {@code enum nf_inet_hooks}, {@code link_create.netfilter.hooknum}} */
    public int hookNumber() {
        return hookNumber;
    }
}
