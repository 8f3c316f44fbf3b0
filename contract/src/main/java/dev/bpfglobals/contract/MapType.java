package dev.bpfglobals.contract;

import java.util.Arrays;
import java.util.Optional;

/**
 * The kernel's BPF map types this library names, with their {@code enum bpf_map_type} numbers.
 * It lives in the contract rather than the runtime because a section's contract names the map the
 * section becomes, and the processor, which writes contracts, must not need the runtime.
 */
public enum MapType {
    HASH(1),
    ARRAY(2),
    PROG_ARRAY(3),
    PERF_EVENT_ARRAY(4),
    PERCPU_HASH(5),
    PERCPU_ARRAY(6),
    LRU_HASH(9),
    LRU_PERCPU_HASH(10),
    LPM_TRIE(11),
    ARRAY_OF_MAPS(12),
    HASH_OF_MAPS(13),
    QUEUE(22),
    STACK(23),
    RINGBUF(27),
    BLOOM_FILTER(30),
    USER_RINGBUF(31);

    private final int kernelValue;

    MapType(int kernelValue) {
        this.kernelValue = kernelValue;
    }

    /** The value of this type in the kernel's {@code enum bpf_map_type}. */
    public int kernelValue() {
        return kernelValue;
    }

    /** Whether the kernel keeps one copy of each value per possible CPU. */
    public boolean isPerCpu() {
        return this == PERCPU_ARRAY || this == PERCPU_HASH || this == LRU_PERCPU_HASH;
    }

    /** The type with this kernel number, or empty for types this library does not name. */
    public static Optional<MapType> fromKernel(int value) {
        return Arrays.stream(values()).filter(t -> t.kernelValue == value).findFirst();
    }
}
