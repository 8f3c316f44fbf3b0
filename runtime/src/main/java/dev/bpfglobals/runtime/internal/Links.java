package dev.bpfglobals.runtime.internal;

import dev.bpfglobals.runtime.kernel.BpfCommand;
import dev.bpfglobals.runtime.kernel.BpfException;
import dev.bpfglobals.runtime.kernel.BpfFd;
import dev.bpfglobals.runtime.kernel.Errno;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * BPF_LINK_CREATE and the perf-event attachment kprobes and tracepoints use. Offsets follow the
 * {@code link_create} member of {@code union bpf_attr}: prog_fd 0, target_fd (or target_ifindex) 4,
 * attach_type 8, flags 12, then the type's own fields from 16.
 */
public final class Links {

    /** {@code enum bpf_attach_type} values used here. */
    public static final int CGROUP_INET_INGRESS = 0;
    public static final int CGROUP_INET_EGRESS = 1;
    public static final int CGROUP_INET_SOCK_CREATE = 2;
    public static final int TRACE_RAW_TP = 23;
    public static final int TRACE_FENTRY = 24;
    public static final int TRACE_FEXIT = 25;
    public static final int MODIFY_RETURN = 26;
    public static final int LSM_MAC = 27;
    public static final int LSM_CGROUP = 43;
    public static final int CGROUP_INET_SOCK_RELEASE = 34;
    public static final int SK_LOOKUP = 36;
    public static final int PERF_EVENT = 41;
    public static final int STRUCT_OPS = 44;
    public static final int NETFILTER = 45;
    public static final int TCX_INGRESS = 46;
    public static final int TCX_EGRESS = 47;

    /** {@code PERF_EVENT_IOC_ENABLE}, {@code _IO('$', 0)}. */
    private static final long PERF_EVENT_IOC_ENABLE = 0x2400;
    /** {@code PERF_EVENT_IOC_SET_BPF}, {@code _IOW('$', 8, __u32)}. */
    private static final long PERF_EVENT_IOC_SET_BPF = 0x40042408;

    /** {@code BPF_F_REPLACE}: BPF_LINK_UPDATE only where the link runs {@code old_prog_fd}. */
    private static final int BPF_F_REPLACE = 4;

    private Links() {
    }

    /** BPF_LINK_CREATE of {@code program} on the object behind {@code target} (a cgroup directory): the link. */
    public static BpfFd create(BpfFd program, BpfFd target, int attachType, String context) {
        return Bpf.using(target, targetFd -> createOn(program, targetFd, attachType, context));
    }

    /** BPF_LINK_CREATE of {@code program} on network interface {@code ifindex}: the link. */
    public static BpfFd createOnInterface(BpfFd program, int ifindex, int attachType, String context) {
        return createOn(program, ifindex, attachType, context);
    }

    /**
     * BPF_LINK_CREATE of {@code program} on the kernel BTF target it was loaded for (an LSM hook),
     * with no target descriptor: the link.
     */
    public static BpfFd createOnLoadTarget(BpfFd program, int attachType, String context) {
        return createOn(program, 0, attachType, context);
    }

    /**
     * BPF_LINK_CREATE of a NETFILTER {@code program} at netfilter hook {@code hook} of protocol family
     * {@code family} in the calling thread's network namespace, with {@code link_create.netfilter}'s
     * {@code pf}, {@code hooknum}, {@code priority} and {@code flags} at 16, 20, 24 and 28: the link.
     */
    public static BpfFd createNetfilter(BpfFd program, int family, int hook, int priority, int flags, String context) {
        int link = Bpf.using(program, progFd -> {
            MemorySegment attr = Bpf.attr();
            attr.set(ValueLayout.JAVA_INT, 0, progFd);
            attr.set(ValueLayout.JAVA_INT, 8, NETFILTER);
            attr.set(ValueLayout.JAVA_INT, 16, family);
            attr.set(ValueLayout.JAVA_INT, 20, hook);
            attr.set(ValueLayout.JAVA_INT, 24, priority);
            attr.set(ValueLayout.JAVA_INT, 28, flags);
            return (int) Bpf.call(BpfCommand.BPF_LINK_CREATE, attr, context);
        });
        return BpfFd.adopt(link, "link of " + context);
    }

    /**
     * Whether the kernel knows TCX attach type {@code attachType}, asked apart from any attach:
     * BPF_PROG_QUERY of that type on {@code ifindex} answers {@code EINVAL} only where the type is
     * unknown (before 6.6), so an {@code EINVAL} from BPF_LINK_CREATE on a kernel that knows it is the
     * kernel's refusal of this attach, not a missing feature.
     */
    public static boolean kernelKnowsTcx(int ifindex, int attachType) {
        MemorySegment attr = Bpf.attr();
        attr.set(ValueLayout.JAVA_INT, 0, ifindex); // query.target_ifindex
        attr.set(ValueLayout.JAVA_INT, 4, attachType); // query.attach_type
        long result = Sys.bpf(BpfCommand.BPF_PROG_QUERY.number(), attr, Bpf.ATTR_SIZE);
        return result >= 0 || Errno.of((int) -result) != Errno.EINVAL;
    }

    /**
     * As {@link #createOnInterface(BpfFd, int, int, String)}, with {@code link_create.flags}
     * {@code flags} (for BPF_XDP, the {@code XDP_FLAGS_*} mode).
     */
    public static BpfFd createOnInterface(BpfFd program, int ifindex, int attachType, int flags, String context) {
        return createOn(program, ifindex, attachType, flags, context);
    }

    /**
     * BPF_LINK_UPDATE with BPF_F_REPLACE: {@code link} runs {@code replacement} instead of
     * {@code expected}, and the kernel refuses with {@code EPERM} where it runs another program.
     */
    public static void replace(BpfFd link, BpfFd replacement, BpfFd expected, String context) {
        Bpf.using(link, linkFd -> Bpf.using(replacement, newFd -> Bpf.using(expected, oldFd -> {
            MemorySegment attr = Bpf.attr();
            attr.set(ValueLayout.JAVA_INT, 0, linkFd);
            attr.set(ValueLayout.JAVA_INT, 4, newFd);
            attr.set(ValueLayout.JAVA_INT, 8, BPF_F_REPLACE);
            attr.set(ValueLayout.JAVA_INT, 12, oldFd);
            return Bpf.call(BpfCommand.BPF_LINK_UPDATE, attr, context);
        })));
    }

    /**
     * BPF_LINK_UPDATE of a struct_ops link: {@code link} registers the struct_ops map {@code map}
     * ({@code new_map_fd}, where other links take {@code new_prog_fd}) in place of the one it had.
     */
    public static void updateMap(BpfFd link, BpfFd map, String context) {
        Bpf.using(link, linkFd -> Bpf.using(map, mapFd -> {
            MemorySegment attr = Bpf.attr();
            attr.set(ValueLayout.JAVA_INT, 0, linkFd);
            attr.set(ValueLayout.JAVA_INT, 4, mapFd);
            return Bpf.call(BpfCommand.BPF_LINK_UPDATE, attr, context);
        }));
    }

    private static BpfFd createOn(BpfFd program, int target, int attachType, String context) {
        return createOn(program, target, attachType, 0, context);
    }

    private static BpfFd createOn(BpfFd program, int target, int attachType, int flags, String context) {
        int link = Bpf.using(program, progFd -> {
            MemorySegment attr = Bpf.attr();
            attr.set(ValueLayout.JAVA_INT, 0, progFd);
            attr.set(ValueLayout.JAVA_INT, 4, target);
            attr.set(ValueLayout.JAVA_INT, 8, attachType);
            attr.set(ValueLayout.JAVA_INT, 12, flags);
            return (int) Bpf.call(BpfCommand.BPF_LINK_CREATE, attr, context);
        });
        return BpfFd.adopt(link, "link of " + context);
    }

    /**
     * BPF_RAW_TRACEPOINT_OPEN with no name: attaches a TRACING program (tp_btf, fentry, fexit,
     * fmod_ret) to the target it was loaded for (kernel 5.5+); the link's fd.
     */
    public static BpfFd openTracing(BpfFd program, String context) {
        int link = Bpf.using(program, progFd -> {
            MemorySegment attr = Bpf.attr();
            attr.set(ValueLayout.JAVA_INT, 8, progFd);
            return (int) Bpf.call(BpfCommand.BPF_RAW_TRACEPOINT_OPEN, attr, context);
        });
        return BpfFd.adopt(link, "link of " + context);
    }

    /**
     * BPF_LINK_CREATE of a TRACING program (fentry, fexit, fmod_ret, tp_btf) on the target it was
     * loaded for, with {@code link_create.tracing.cookie} (at 24, after {@code target_btf_id}) as its
     * {@code bpf_cookie}: the link, or empty where the kernel answers {@code EINVAL}, as it does when
     * {@code attachType} is not the program's expected attach type (checked before anything attaches).
     */
    public static java.util.Optional<BpfFd> createTracing(BpfFd program, int attachType, long cookie, String context) {
        long link = Bpf.using(program, progFd -> {
            MemorySegment attr = Bpf.attr();
            attr.set(ValueLayout.JAVA_INT, 0, progFd);
            attr.set(ValueLayout.JAVA_INT, 8, attachType);
            attr.set(ValueLayout.JAVA_LONG, 24, cookie);
            return Sys.bpf(BpfCommand.BPF_LINK_CREATE.number(), attr, Bpf.ATTR_SIZE);
        });
        if (link == -Errno.EINVAL.number()) {
            return java.util.Optional.empty();
        }
        if (link < 0) {
            throw new BpfException(BpfCommand.BPF_LINK_CREATE, Errno.of((int) -link), context);
        }
        return java.util.Optional.of(BpfFd.adopt((int) link, "link of " + context));
    }

    /** BPF_LINK_DETACH: the link's program leaves its hook now, though the link (pinned, or held elsewhere) lives on. */
    public static void detach(BpfFd link, String context) {
        Bpf.using(link, linkFd -> {
            MemorySegment attr = Bpf.attr();
            attr.set(ValueLayout.JAVA_INT, 0, linkFd);
            return Bpf.call(BpfCommand.BPF_LINK_DETACH, attr, context);
        });
    }

    /** BPF_LINK_GET_FD_BY_ID: the link with kernel id {@code id}. */
    public static BpfFd fdById(int id) {
        MemorySegment attr = Bpf.attr();
        attr.set(ValueLayout.JAVA_INT, 0, id);
        return BpfFd.adopt((int) Bpf.call(BpfCommand.BPF_LINK_GET_FD_BY_ID, attr, "link id " + id), "link id " + id);
    }

    /** BPF_OBJ_GET_INFO_BY_FD on a link: its id, type and program. */
    public static dev.bpfglobals.runtime.kernel.LinkInfo info(BpfFd link) {
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            MemorySegment info = Bpf.objInfo(link, arena.allocate(64, 8));
            return new dev.bpfglobals.runtime.kernel.LinkInfo(info.get(ValueLayout.JAVA_INT, 4), info.get(ValueLayout.JAVA_INT, 0),
                    info.get(ValueLayout.JAVA_INT, 8));
        }
    }

    /** BPF_LINK_CREATE as {@link #create}, returning {@code -errno} rather than throwing. */
    static long createRaw(int progFd, int target, int attachType) {
        return createRaw(progFd, target, attachType, 0);
    }

    /** As {@link #createRaw(int, int, int)}, with {@code link_create.perf_event.bpf_cookie} {@code cookie}. */
    private static long createRaw(int progFd, int target, int attachType, long cookie) {
        MemorySegment attr = Bpf.attr();
        attr.set(ValueLayout.JAVA_LONG, 16, cookie);
        attr.set(ValueLayout.JAVA_INT, 0, progFd);
        attr.set(ValueLayout.JAVA_INT, 4, target);
        attr.set(ValueLayout.JAVA_INT, 8, attachType);
        return Sys.bpf(BpfCommand.BPF_LINK_CREATE.number(), attr, Bpf.ATTR_SIZE);
    }

    /**
     * Attaches {@code progFd} to the perf event {@code perfFd} (a kprobe or tracepoint event) as
     * libbpf does: through a BPF link (BPF_PERF_EVENT, kernel 5.15+) where the kernel makes one,
     * else with {@code PERF_EVENT_IOC_SET_BPF}; then enables the event.
     *
     * @return the link, or empty when the program was attached to the event itself (closing the
     *         event then detaches it)
     */
    public static java.util.Optional<BpfFd> attachPerfEvent(BpfFd program, BpfFd event, String context) {
        return attachPerfEvent(program, event, 0, context);
    }

    /**
     * As {@link #attachPerfEvent(BpfFd, BpfFd, String)}, with {@code cookie} as the link's
     * {@code bpf_cookie}, which the program reads with {@code bpf_get_attach_cookie}. Only a link
     * carries one: where the kernel makes none (before 5.15) the program reads 0.
     */
    public static java.util.Optional<BpfFd> attachPerfEvent(BpfFd program, BpfFd event, long cookie, String context) {
        int progFd = program.acquire();
        try {
            int perfFd = event.acquire();
            try {
                return attachPerfEvent(progFd, perfFd, cookie, context);
            } finally {
                event.release();
            }
        } finally {
            program.release();
        }
    }

    private static java.util.Optional<BpfFd> attachPerfEvent(int progFd, int perfFd, long cookie, String context) {
        long link = createRaw(progFd, perfFd, PERF_EVENT, cookie);
        if (link < 0) {
            Errno errno = Errno.of((int) -link);
            // Kernels before BPF_PERF_EVENT links answer EINVAL (unknown attach type); any other refusal is the answer.
            if (errno != Errno.EINVAL) {
                throw new BpfException(BpfCommand.BPF_LINK_CREATE, errno, context);
            }
            int set = Native.ioctl(perfFd, PERF_EVENT_IOC_SET_BPF, progFd);
            if (set < 0) {
                throw new IllegalStateException("ioctl(PERF_EVENT_IOC_SET_BPF) failed with " + Errno.of(-set) + " (" + context
                        + "): the kernel refused to run the program on this event; is its type the event's (kprobe, tracepoint)?");
            }
        }
        int enabled = Native.ioctl(perfFd, PERF_EVENT_IOC_ENABLE, 0);
        if (enabled < 0) {
            if (link >= 0) {
                BpfFd.adopt((int) link, "link of " + context).close();
            }
            throw new IllegalStateException("ioctl(PERF_EVENT_IOC_ENABLE) failed with " + Errno.of(-enabled) + " (" + context + ")");
        }
        return link < 0 ? java.util.Optional.empty() : java.util.Optional.of(BpfFd.adopt((int) link, "link of " + context));
    }
}
