package dev.bpfglobals.runtime.internal;

import dev.bpfglobals.runtime.kernel.BpfCommand;
import dev.bpfglobals.runtime.kernel.BpfFd;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * BPF iterators (kernel 5.8+): a TRACING program loaded for {@code BPF_TRACE_ITER} against the
 * kernel's {@code bpf_iter_TARGET} becomes a link with BPF_LINK_CREATE, and each BPF_ITER_CREATE on
 * that link opens one pass over the target's objects, run as the opener {@code read()}s it. The
 * {@code link_create} member for iterators: {@code iter_info} (a {@code union bpf_iter_link_info}
 * pointer) at byte 16, its length at 24; {@code iter_create}: {@code link_fd} 0, {@code flags} 4.
 */
public final class Iterators {

    /** {@code BPF_TRACE_ITER} of {@code enum bpf_attach_type}, also the expected attach type at load. */
    public static final int ATTACH_TYPE = 28;
    /** {@code sizeof(union bpf_iter_link_info)} since 6.1 (map, cgroup and task members; older kernels take its zero tail). */
    private static final int LINK_INFO_SIZE = 16;

    private Iterators() {
    }

    /**
     * BPF_LINK_CREATE of iterator program {@code program}, over the elements of {@code map} where the
     * target iterates one map ({@code bpf_map_elem}, {@code bpf_sk_storage_map}, {@code sockmap}),
     * else (null) over the whole target: the link.
     */
    public static BpfFd link(BpfFd program, BpfFd map, String context) {
        int link = Bpf.using(program, progFd -> map == null ? create(progFd, 0, context)
                : Bpf.using(map, mapFd -> create(progFd, mapFd, context)));
        return BpfFd.adopt(link, "link of " + context);
    }

    /**
     * BPF_LINK_CREATE of a task iterator program ({@code iter/task}, {@code iter/task_file},
     * {@code iter/task_vma}) over the threads of process {@code pid} alone ({@code iter_info}'s
     * {@code task.pid} at 4, kernel 6.1+): the link.
     */
    public static BpfFd linkTask(BpfFd program, int pid, String context) {
        int link = Bpf.using(program, progFd -> {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment attr = Bpf.attr();
                attr.set(ValueLayout.JAVA_INT, 0, progFd);
                attr.set(ValueLayout.JAVA_INT, 8, ATTACH_TYPE);
                MemorySegment info = arena.allocate(LINK_INFO_SIZE);
                info.set(ValueLayout.JAVA_INT, 4, pid); // task.pid (task.tid at 0, task.pid_fd at 8)
                attr.set(ValueLayout.JAVA_LONG, 16, info.address());
                attr.set(ValueLayout.JAVA_INT, 24, LINK_INFO_SIZE);
                return (int) Bpf.call(BpfCommand.BPF_LINK_CREATE, attr, context);
            }
        });
        return BpfFd.adopt(link, "link of " + context);
    }

    private static int create(int progFd, int mapFd, String context) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = Bpf.attr();
            attr.set(ValueLayout.JAVA_INT, 0, progFd);
            attr.set(ValueLayout.JAVA_INT, 8, ATTACH_TYPE);
            if (mapFd > 0) {
                MemorySegment info = arena.allocate(LINK_INFO_SIZE);
                info.set(ValueLayout.JAVA_INT, 0, mapFd); // map.map_fd
                attr.set(ValueLayout.JAVA_LONG, 16, info.address());
                attr.set(ValueLayout.JAVA_INT, 24, LINK_INFO_SIZE);
            }
            return (int) Bpf.call(BpfCommand.BPF_LINK_CREATE, attr, context);
        }
    }

    /** BPF_ITER_CREATE on iterator link {@code link}: the descriptor one pass is read from. */
    public static BpfFd open(BpfFd link, String context) {
        int iterator = Bpf.using(link, linkFd -> {
            MemorySegment attr = Bpf.attr();
            attr.set(ValueLayout.JAVA_INT, 0, linkFd);
            return (int) Bpf.call(BpfCommand.BPF_ITER_CREATE, attr, context);
        });
        return BpfFd.adopt(iterator, "iterator of " + context);
    }

    /**
     * One {@code read()} of iterator descriptor {@code iterator} into {@code buffer}: the bytes read,
     * 0 at the end of the pass, or {@code -errno}; an interrupted read is retried.
     */
    public static long read(BpfFd iterator, MemorySegment buffer) {
        return Bpf.using(iterator, fd -> {
            long result;
            do {
                result = Native.read(fd, buffer);
            } while (result == -4); // EINTR
            return result;
        });
    }
}
