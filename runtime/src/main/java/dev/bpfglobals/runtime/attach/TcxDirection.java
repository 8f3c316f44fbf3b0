package dev.bpfglobals.runtime.attach;

/**
 * The side of a network interface a TCX program attaches to ({@code BPF_TCX_INGRESS},
 * {@code BPF_TCX_EGRESS}, kernel 6.6+), as libbpf's {@code tcx/ingress} and {@code tcx/egress}
 * sections name it.
 */
public enum TcxDirection {
    /** Packets the interface receives. */
    INGRESS(46),
    /** Packets the interface sends. */
    EGRESS(47);

    private final int attachType;

    TcxDirection(int attachType) {
        this.attachType = attachType;
    }

    /** {@return the kernel's {@code enum bpf_attach_type} value} */
    public int attachType() {
        return attachType;
    }
}
