package dev.bpfglobals.runtime.attach;

/**
 * The protocol family whose packets a {@code netfilter} program sees: {@code link_create.netfilter.pf},
 * a {@code NFPROTO_*} value. BPF netfilter links take these two.
 */
public enum NetfilterFamily {
    /** IPv4 packets ({@code NFPROTO_IPV4}). */
    IPV4(2),
    /** IPv6 packets ({@code NFPROTO_IPV6}). */
    IPV6(10);

    private final int protocolFamily;

    NetfilterFamily(int protocolFamily) {
        this.protocolFamily = protocolFamily;
    }

    /** {@return the {@code NFPROTO_*} value} */
    public int protocolFamily() {
        return protocolFamily;
    }
}
