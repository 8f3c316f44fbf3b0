package dev.bpfglobals.runtime.attach;

/**
 * Where on an interface an XDP program runs: the {@code XDP_FLAGS_*} mode bits of
 * {@code BPF_LINK_CREATE}, as {@code ip link set dev IF xdpgeneric|xdpdrv|xdpoffload} names them.
 */
public enum XdpMode {
    /** The kernel chooses: the driver's native hook where it has one, else the generic one. */
    KERNEL_CHOOSES(0),
    /** The generic hook in the network stack ({@code XDP_FLAGS_SKB_MODE}), on any interface, {@code lo} included. */
    GENERIC(2),
    /** The driver's native hook ({@code XDP_FLAGS_DRV_MODE}), on interfaces whose driver has one (veth does). */
    DRIVER(4),
    /** On the network card ({@code XDP_FLAGS_HW_MODE}), for a program loaded for that device. */
    OFFLOAD(8);

    private final int flags;

    XdpMode(int flags) {
        this.flags = flags;
    }

    /** {@return the {@code XDP_FLAGS_*} bit of this mode, 0 where the kernel chooses} */
    public int flags() {
        return flags;
    }
}
