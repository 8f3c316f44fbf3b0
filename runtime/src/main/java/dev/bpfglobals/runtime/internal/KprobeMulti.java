package dev.bpfglobals.runtime.internal;

import dev.bpfglobals.runtime.kernel.BpfCommand;
import dev.bpfglobals.runtime.kernel.BpfException;
import dev.bpfglobals.runtime.kernel.BpfFd;
import dev.bpfglobals.runtime.kernel.Errno;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * kprobe_multi links (kernel 5.18+, {@code CONFIG_FPROBE}): one BPF_LINK_CREATE of attach type
 * {@code BPF_TRACE_KPROBE_MULTI} puts a KPROBE program on many kernel functions at once, through
 * fprobe (ftrace) rather than the kprobe PMU, so it works on kernels built without
 * {@code CONFIG_KPROBES}. The {@code kprobe_multi} member of {@code link_create} starts at byte 16:
 * flags 16, cnt 20, syms 24, addrs 32, cookies 40.
 */
public final class KprobeMulti {

    /** {@code BPF_TRACE_KPROBE_MULTI} of {@code enum bpf_attach_type}, also the expected attach type at load. */
    public static final int ATTACH_TYPE = 42;
    /** {@code BPF_F_KPROBE_MULTI_RETURN}: run at the functions' returns. */
    private static final int RETURN = 1;
    /** Asked by {@link #supported()}, once per process. */
    private static final MultiLinkProbe PROBE = new MultiLinkProbe("kmulti_probe", ATTACH_TYPE,
            progFd -> createRaw(progFd, List.of("bpf_globals_kprobe_multi_probe_no_such_function"), null, 0), Errno.ESRCH);

    private KprobeMulti() {
    }

    /**
     * BPF_LINK_CREATE of {@code program} (a KPROBE program loaded for {@link #ATTACH_TYPE}) on the
     * kernel functions {@code functions}, at their entries or, with {@code retprobe}, their returns.
     */
    public static BpfFd attach(BpfFd program, List<String> functions, boolean retprobe, String context) {
        return attach(program, functions, null, retprobe, context);
    }

    /**
     * As {@link #attach(BpfFd, List, boolean, String)}, with {@code cookies[i]} the cookie of
     * {@code functions.get(i)} ({@code bpf_get_attach_cookie} reads it; {@code null} for none).
     * The kernel sorts the symbols and moves each cookie with its symbol.
     */
    public static BpfFd attach(BpfFd program, List<String> functions, long[] cookies, boolean retprobe, String context) {
        if (cookies != null && cookies.length != functions.size()) {
            throw new IllegalArgumentException(context + ": " + cookies.length + " cookies for " + functions.size() + " functions");
        }
        int link = Bpf.using(program, progFd -> {
            long result = createRaw(progFd, functions, cookies, retprobe ? RETURN : 0);
            if (result < 0) {
                throw new BpfException(BpfCommand.BPF_LINK_CREATE, Errno.of((int) -result), context);
            }
            return (int) result;
        });
        return BpfFd.adopt(link, "link of " + context);
    }

    private static long createRaw(int progFd, List<String> functions, long[] cookies, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment names = arena.allocate(ValueLayout.ADDRESS, functions.size());
            for (int i = 0; i < functions.size(); i++) {
                names.setAtIndex(ValueLayout.ADDRESS, i, arena.allocateFrom(functions.get(i)));
            }
            MemorySegment attr = Bpf.attr();
            attr.set(ValueLayout.JAVA_INT, 0, progFd);
            attr.set(ValueLayout.JAVA_INT, 8, ATTACH_TYPE);
            attr.set(ValueLayout.JAVA_INT, 16, flags);
            attr.set(ValueLayout.JAVA_INT, 20, functions.size());
            attr.set(ValueLayout.JAVA_LONG, 24, names.address());
            if (cookies != null) {
                attr.set(ValueLayout.JAVA_LONG, 40, arena.allocateFrom(ValueLayout.JAVA_LONG, cookies).address());
            }
            return Sys.bpf(BpfCommand.BPF_LINK_CREATE.number(), attr, Bpf.ATTR_SIZE);
        }
    }

    /**
     * Whether this kernel makes kprobe_multi links, probed as libbpf's
     * {@code probe_kern_kprobe_multi_link} does: a program loaded for the attach type, linked to a
     * function no kernel has. {@code ESRCH} (the symbol lookup ran) means yes; {@code EOPNOTSUPP}
     * (built without {@code CONFIG_FPROBE}) or {@code EINVAL} (older than 5.18: unknown attach type) means no.
     */
    public static boolean supported() {
        return PROBE.supported();
    }
}
