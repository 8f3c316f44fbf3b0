package dev.bpfglobals.runtime.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;

/**
 * One thread's native scratch for system calls, behind a single thread-local so that a hot-path
 * call looks one up, allocates nothing and (for map elements) zeroes nothing.
 */
final class CallBuffers {

    /**
     * Bytes of {@code union bpf_attr} the map element commands use: map_fd, padding, key, value,
     * flags ({@code offsetofend(union bpf_attr, flags)}, the size libbpf passes too). The kernel
     * zero-fills what a shorter size leaves out.
     */
    static final int ELEM_ATTR_SIZE = 32;

    private static final ThreadLocal<CallBuffers> CURRENT = ThreadLocal.withInitial(CallBuffers::new);

    /** Where the linker stores errno right after each call. */
    final MemorySegment errno;
    /** Attributes of every other command: zeroed before each use, since each command writes other fields. */
    final MemorySegment attr;
    /**
     * Attributes of the element commands only. Each call writes all four fields, and nothing else
     * writes here, so the padding after map_fd stays zero and no fill is needed.
     */
    final MemorySegment elemAttr;

    private CallBuffers() {
        Arena arena = Arena.ofAuto();
        errno = arena.allocate(Linker.Option.captureStateLayout());
        attr = arena.allocate(Bpf.ATTR_SIZE, 8);
        elemAttr = arena.allocate(ELEM_ATTR_SIZE, 8);
    }

    /** The calling thread's buffers. */
    static CallBuffers current() {
        return CURRENT.get();
    }
}
