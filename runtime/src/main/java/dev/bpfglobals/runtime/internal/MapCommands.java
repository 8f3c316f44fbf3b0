package dev.bpfglobals.runtime.internal;

import dev.bpfglobals.runtime.kernel.BpfCommand;
import dev.bpfglobals.runtime.kernel.BpfException;
import dev.bpfglobals.runtime.kernel.BpfFd;
import dev.bpfglobals.runtime.kernel.Errno;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * The bpf(2) map commands beyond lookup and update: delete, next key, lookup-and-delete, the batch
 * commands, and a create that passes flags and {@code map_extra}. Offsets follow {@code union
 * bpf_attr} in include/uapi/linux/bpf.h. Results are raw (the kernel's result or {@code -errno}),
 * because ENOENT is an answer here (no such key, no next key, an empty queue), not a failure.
 */
public final class MapCommands {

    /** {@code offsetofend(union bpf_attr, batch.flags)}: the bytes the batch commands read. */
    private static final int BATCH_ATTR_SIZE = 56;

    private MapCommands() {
    }

    /** BPF_MAP_DELETE_ELEM of {@code key}: 0 or {@code -errno} (ENOENT: no such key). */
    public static long deleteRaw(BpfFd fd, MemorySegment key) {
        return BpfMaps.elem(BpfCommand.BPF_MAP_DELETE_ELEM, fd, key, MemorySegment.NULL, 0);
    }

    /**
     * BPF_MAP_GET_NEXT_KEY: the key after {@code key} ({@link MemorySegment#NULL} for the first)
     * into {@code next}; 0 or {@code -errno} (ENOENT: {@code key} was the last).
     */
    public static long nextKeyRaw(BpfFd fd, MemorySegment key, MemorySegment next) {
        return BpfMaps.elem(BpfCommand.BPF_MAP_GET_NEXT_KEY, fd, key, next, 0);
    }

    /**
     * BPF_MAP_LOOKUP_AND_DELETE_ELEM: the value of {@code key} into {@code value}, then the element
     * is gone; {@code key} is {@link MemorySegment#NULL} for a queue or stack (pop). 0 or {@code -errno}.
     */
    public static long lookupAndDeleteRaw(BpfFd fd, MemorySegment key, MemorySegment value) {
        return BpfMaps.elem(BpfCommand.BPF_MAP_LOOKUP_AND_DELETE_ELEM, fd, key, value, 0);
    }

    /**
     * One of the BPF_MAP_*_BATCH commands. {@code count} holds the number of elements asked for
     * and, on return, the number the kernel handled (also when it answers an error: ENOENT from a
     * lookup batch means the map has no more elements after these). {@code inBatch} is
     * {@link MemorySegment#NULL} to start; {@code outBatch} receives the cursor to continue from.
     *
     * @return 0 or {@code -errno} (ENOTSUPP: this map type has no batch operation; EINVAL from a
     *         kernel older than 5.6, which does not know the command)
     */
    public static long batchRaw(BpfCommand command, BpfFd fd, MemorySegment inBatch, MemorySegment outBatch,
            MemorySegment keys, MemorySegment values, MemorySegment count, long elemFlags) {
        int requested = count.get(ValueLayout.JAVA_INT, 0);
        return Bpf.using(fd, open -> {
            MemorySegment attr = Bpf.attr();
            attr.set(ValueLayout.JAVA_LONG, 0, inBatch.address());
            attr.set(ValueLayout.JAVA_LONG, 8, outBatch.address());
            attr.set(ValueLayout.JAVA_LONG, 16, keys.address());
            attr.set(ValueLayout.JAVA_LONG, 24, values.address());
            attr.set(ValueLayout.JAVA_INT, 32, requested);
            attr.set(ValueLayout.JAVA_INT, 36, open);
            attr.set(ValueLayout.JAVA_LONG, 40, elemFlags);
            long result = Sys.bpf(command.number(), attr, BATCH_ATTR_SIZE);
            int handled = attr.get(ValueLayout.JAVA_INT, 32);
            // The kernel writes the count back only once it has tried elements; a refusal before that
            // (ENOTSUPP for a map type without the operation, EINVAL for flags it does not take) leaves
            // the request there. A refusal of an element always stops short of the request, so a failure
            // that still shows the full request handled nothing.
            boolean refusedUpFront = result < 0 && result != -Errno.ENOENT.number() && handled == requested;
            count.set(ValueLayout.JAVA_INT, 0, refusedUpFront ? 0 : handled);
            return result;
        });
    }
}
