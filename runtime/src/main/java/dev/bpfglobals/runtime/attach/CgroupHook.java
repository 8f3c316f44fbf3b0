package dev.bpfglobals.runtime.attach;

import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/**
 * Where in a cgroup a program attaches ({@code enum bpf_attach_type}); each hook's javadoc names
 * the section libbpf gives its programs, and {@link #ofSection} reads the hook from a section
 * through its row in {@link SectionDefinitions}.
 */
public enum CgroupHook {
    /** Packets arriving at sockets of the cgroup ({@code cgroup_skb/ingress}, CGROUP_SKB). */
    INET_INGRESS(0),
    /** Packets leaving sockets of the cgroup ({@code cgroup_skb/egress}, CGROUP_SKB). */
    INET_EGRESS(1),
    /** A socket being created by a process of the cgroup ({@code cgroup/sock_create}, CGROUP_SOCK). */
    INET_SOCK_CREATE(2),
    /** TCP events of the cgroup's sockets: connect, established, retransmit ... ({@code sockops}, SOCK_OPS). */
    SOCK_OPS(3),
    /** A device opened or made by a process of the cgroup ({@code cgroup/dev}, CGROUP_DEVICE); 0 refuses it. */
    DEVICE(6),
    /** An IPv4 {@code bind()} ({@code cgroup/bind4}, CGROUP_SOCK_ADDR). */
    INET4_BIND(8),
    /** An IPv6 {@code bind()} ({@code cgroup/bind6}). */
    INET6_BIND(9),
    /** An IPv4 {@code connect()} ({@code cgroup/connect4}). */
    INET4_CONNECT(10),
    /** An IPv6 {@code connect()} ({@code cgroup/connect6}). */
    INET6_CONNECT(11),
    /** After an IPv4 socket was bound ({@code cgroup/post_bind4}, CGROUP_SOCK). */
    INET4_POST_BIND(12),
    /** After an IPv6 socket was bound ({@code cgroup/post_bind6}, CGROUP_SOCK). */
    INET6_POST_BIND(13),
    /** A UDP IPv4 {@code sendmsg()} ({@code cgroup/sendmsg4}). */
    UDP4_SENDMSG(14),
    /** A UDP IPv6 {@code sendmsg()} ({@code cgroup/sendmsg6}). */
    UDP6_SENDMSG(15),
    /** A read or write of a {@code /proc/sys} file ({@code cgroup/sysctl}, CGROUP_SYSCTL); 0 refuses it. */
    SYSCTL(18),
    /** A UDP IPv4 {@code recvmsg()} ({@code cgroup/recvmsg4}), which may rewrite the sender's address. */
    UDP4_RECVMSG(19),
    /** A UDP IPv6 {@code recvmsg()} ({@code cgroup/recvmsg6}). */
    UDP6_RECVMSG(20),
    /** A {@code getsockopt()} ({@code cgroup/getsockopt}, CGROUP_SOCKOPT). */
    GETSOCKOPT(21),
    /** A {@code setsockopt()} ({@code cgroup/setsockopt}, CGROUP_SOCKOPT). */
    SETSOCKOPT(22),
    /** An IPv4 {@code getpeername()} ({@code cgroup/getpeername4}). */
    INET4_GETPEERNAME(29),
    /** An IPv6 {@code getpeername()} ({@code cgroup/getpeername6}). */
    INET6_GETPEERNAME(30),
    /** An IPv4 {@code getsockname()} ({@code cgroup/getsockname4}). */
    INET4_GETSOCKNAME(31),
    /** An IPv6 {@code getsockname()} ({@code cgroup/getsockname6}). */
    INET6_GETSOCKNAME(32),
    /** A socket of the cgroup being released ({@code cgroup/sock_release}, CGROUP_SOCK). */
    INET_SOCK_RELEASE(34),
    /** The LSM hook an {@code lsm_cgroup/HOOK} program was loaded for, run for the cgroup's processes alone (LSM, 6.0+). */
    LSM_CGROUP(43),
    /** A unix socket's {@code connect()} ({@code cgroup/connect_unix}, 6.7+). */
    UNIX_CONNECT(49),
    /** A unix datagram {@code sendmsg()} ({@code cgroup/sendmsg_unix}, 6.7+). */
    UNIX_SENDMSG(50),
    /** A unix datagram {@code recvmsg()} ({@code cgroup/recvmsg_unix}, 6.7+). */
    UNIX_RECVMSG(51),
    /** A unix socket's {@code getpeername()} ({@code cgroup/getpeername_unix}, 6.7+). */
    UNIX_GETPEERNAME(52),
    /** A unix socket's {@code getsockname()} ({@code cgroup/getsockname_unix}, 6.7+). */
    UNIX_GETSOCKNAME(53);

    /** The program types whose sections' rows name a cgroup hook. */
    private static final Set<ProgramType> CGROUP_TYPES = Set.of(ProgramType.CGROUP_SKB, ProgramType.CGROUP_SOCK,
            ProgramType.CGROUP_SOCK_ADDR, ProgramType.CGROUP_SYSCTL, ProgramType.CGROUP_SOCKOPT, ProgramType.CGROUP_DEVICE,
            ProgramType.SOCK_OPS, ProgramType.LSM);

    private final int attachType;

    CgroupHook(int attachType) {
        this.attachType = attachType;
    }

    /** {@return the kernel's {@code enum bpf_attach_type} value} */
    public int attachType() {
        return attachType;
    }

    /**
     * The hook a program of section {@code section} attaches to, as its row in
     * {@link SectionDefinitions} says ({@code cgroup/connect4} is {@link #INET4_CONNECT},
     * {@code lsm_cgroup/socket_bind} {@link #LSM_CGROUP}); empty for a section of no cgroup hook, or of
     * either ({@code cgroup_skb}, which attaches at ingress or egress).
     *
     * @param section a libbpf {@code SEC()} name
     * @return the section's cgroup hook, or empty
     */
    public static Optional<CgroupHook> ofSection(String section) {
        return SectionDefinitions.find(section).filter(row -> CGROUP_TYPES.contains(row.type()))
                .flatMap(row -> Arrays.stream(values()).filter(hook -> hook.attachType == row.expectedAttachType())
                        .filter(hook -> hook != INET_INGRESS || !row.prefix().equals("cgroup_skb") && !row.prefix().equals("cgroup/skb"))
                        .findFirst());
    }

    /** The sections whose programs attach at {@code hook}, for messages: " (cgroup/connect4 programs attach there)". */
    static String sectionsOf(CgroupHook hook) {
        java.util.List<String> sections = SectionDefinitions.all().stream()
                .filter(row -> CGROUP_TYPES.contains(row.type()) && row.expectedAttachType() == hook.attachType)
                .map(SectionDefinition::prefix).toList();
        return sections.isEmpty() ? "" : " (" + String.join(", ", sections) + " programs attach there)";
    }
}
