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
 * uprobe_multi links (kernel 6.6+, {@code CONFIG_UPROBES}): one BPF_LINK_CREATE of attach type
 * {@code BPF_TRACE_UPROBE_MULTI} puts a KPROBE program on many offsets of one file at once, in
 * every process or in one. The {@code uprobe_multi} member of {@code link_create} starts at byte
 * 16: path 16, offsets 24, ref_ctr_offsets 32, cookies 40, cnt 48, flags 52, pid 56.
 */
public final class UprobeMulti {

    /** {@code BPF_TRACE_UPROBE_MULTI} of {@code enum bpf_attach_type}, also the expected attach type at load. */
    public static final int ATTACH_TYPE = 48;
    /** {@code BPF_F_UPROBE_MULTI_RETURN}: run at the functions' returns. */
    private static final int RETURN = 1;
    /** Asked by {@link #supported()}, once per process. */
    private static final MultiLinkProbe PROBE = new MultiLinkProbe("umulti_probe", ATTACH_TYPE,
            progFd -> createRaw(progFd, "/", List.of(0L), 0, 0), Errno.EBADF);

    private UprobeMulti() {
    }

    /**
     * BPF_LINK_CREATE of {@code program} (a KPROBE program loaded for {@link #ATTACH_TYPE}) at the
     * file offsets {@code offsets} of {@code path}, at their entries or, with {@code retprobe}, the
     * returns of the functions starting there; in process {@code pid} alone, or every process for 0.
     */
    public static BpfFd attach(BpfFd program, String path, List<Long> offsets, boolean retprobe, int pid, String context) {
        return attach(program, path, offsets, List.of(), retprobe, pid, context);
    }

    /**
     * As {@link #attach(BpfFd, String, List, boolean, int, String)}, with {@code cookies[i]} as the
     * {@code bpf_cookie} of {@code offsets[i]} (none where {@code cookies} is empty).
     */
    public static BpfFd attach(BpfFd program, String path, List<Long> offsets, List<Long> cookies, boolean retprobe, int pid,
            String context) {
        int link = Bpf.using(program, progFd -> {
            long result = createRaw(progFd, path, offsets, cookies, retprobe ? RETURN : 0, pid);
            if (result < 0) {
                throw new BpfException(BpfCommand.BPF_LINK_CREATE, Errno.of((int) -result), context);
            }
            return (int) result;
        });
        return BpfFd.adopt(link, "link of " + context);
    }

    private static long createRaw(int progFd, String path, List<Long> offsets, int flags, int pid) {
        return createRaw(progFd, path, offsets, List.of(), flags, pid);
    }

    private static long createRaw(int progFd, String path, List<Long> offsets, List<Long> cookies, int flags, int pid) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cookieArray = cookies.isEmpty() ? MemorySegment.NULL
                    : arena.allocateFrom(ValueLayout.JAVA_LONG, cookies.stream().mapToLong(Long::longValue).toArray());
            MemorySegment at = arena.allocate(ValueLayout.JAVA_LONG, offsets.size());
            for (int i = 0; i < offsets.size(); i++) {
                at.setAtIndex(ValueLayout.JAVA_LONG, i, offsets.get(i));
            }
            MemorySegment attr = Bpf.attr();
            attr.set(ValueLayout.JAVA_INT, 0, progFd);
            attr.set(ValueLayout.JAVA_INT, 8, ATTACH_TYPE);
            attr.set(ValueLayout.JAVA_LONG, 16, arena.allocateFrom(path).address());
            attr.set(ValueLayout.JAVA_LONG, 24, at.address());
            attr.set(ValueLayout.JAVA_LONG, 40, cookieArray.address());
            attr.set(ValueLayout.JAVA_INT, 48, offsets.size());
            attr.set(ValueLayout.JAVA_INT, 52, flags);
            attr.set(ValueLayout.JAVA_INT, 56, pid);
            return Sys.bpf(BpfCommand.BPF_LINK_CREATE.number(), attr, Bpf.ATTR_SIZE);
        }
    }

    /**
     * Whether this kernel makes uprobe_multi links, probed as libbpf's
     * {@code probe_uprobe_multi_link} does: a program loaded for the attach type, linked at offset 0
     * of {@code /}, which is no regular file. {@code EBADF} (the kernel looked at the path) means yes;
     * {@code EINVAL} (older than 6.6: unknown attach type) or {@code EOPNOTSUPP} (no
     * {@code CONFIG_UPROBES}) means no.
     */
    public static boolean supported() {
        return PROBE.supported();
    }
}
