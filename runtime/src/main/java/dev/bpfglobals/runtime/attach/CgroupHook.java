package dev.bpfglobals.runtime.attach;

/**
 * Where in a cgroup a program attaches ({@code enum bpf_attach_type}), with the section names
 * libbpf gives programs for each: {@code cgroup_skb/ingress}, {@code cgroup_skb/egress},
 * {@code cgroup/sock_create}, {@code cgroup/sock_release}.
 */
public enum CgroupHook {
    /** Packets arriving at sockets of the cgroup (CGROUP_SKB programs). */
    INET_INGRESS(0),
    /** Packets leaving sockets of the cgroup (CGROUP_SKB programs). */
    INET_EGRESS(1),
    /** A socket being created by a process of the cgroup (CGROUP_SOCK programs). */
    INET_SOCK_CREATE(2),
    /** A socket of the cgroup being released (CGROUP_SOCK programs). */
    INET_SOCK_RELEASE(34);

    private final int attachType;

    CgroupHook(int attachType) {
        this.attachType = attachType;
    }

    /** {@return the kernel's {@code enum bpf_attach_type} value} */
    public int attachType() {
        return attachType;
    }
}
