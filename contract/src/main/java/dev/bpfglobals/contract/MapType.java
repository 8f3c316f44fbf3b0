package dev.bpfglobals.contract;

import java.util.Arrays;
import java.util.Optional;

/**
 * The kernel's BPF map types this library names, with their {@code enum bpf_map_type} numbers.
 * It lives in the contract rather than the runtime because a section's contract names the map the
 * section becomes, and the processor, which writes contracts, must not need the runtime.
 */
public enum MapType {
    /** {@code BPF_MAP_TYPE_HASH}: values looked up by an arbitrary key, added and deleted at run time. */
    HASH(1),
    /** {@code BPF_MAP_TYPE_ARRAY}: values at fixed indices; the map {@code .data}, {@code .bss} and {@code .rodata} become. */
    ARRAY(2),
    /** {@code BPF_MAP_TYPE_PROG_ARRAY}: program file descriptors that {@code bpf_tail_call} jumps to. */
    PROG_ARRAY(3),
    /** {@code BPF_MAP_TYPE_PERF_EVENT_ARRAY}: one perf ring buffer per CPU that programs send samples to. */
    PERF_EVENT_ARRAY(4),
    /** {@code BPF_MAP_TYPE_PERCPU_HASH}: a hash map with one copy of each value per possible CPU. */
    PERCPU_HASH(5),
    /** {@code BPF_MAP_TYPE_PERCPU_ARRAY}: an array with one copy of each value per possible CPU; the map {@code .percpu} becomes. */
    PERCPU_ARRAY(6),
    /** {@code BPF_MAP_TYPE_LRU_HASH}: a hash map that evicts the least recently used entry when full. */
    LRU_HASH(9),
    /** {@code BPF_MAP_TYPE_LRU_PERCPU_HASH}: an LRU hash map with one copy of each value per possible CPU. */
    LRU_PERCPU_HASH(10),
    /** {@code BPF_MAP_TYPE_LPM_TRIE}: longest-prefix match on keys that start with a prefix length (IP routes). */
    LPM_TRIE(11),
    /** {@code BPF_MAP_TYPE_ARRAY_OF_MAPS}: an array whose values are other maps, swapped in from user space. */
    ARRAY_OF_MAPS(12),
    /** {@code BPF_MAP_TYPE_HASH_OF_MAPS}: a hash map whose values are other maps. */
    HASH_OF_MAPS(13),
    /** {@code BPF_MAP_TYPE_QUEUE}: values without keys, popped first in, first out. */
    QUEUE(22),
    /** {@code BPF_MAP_TYPE_STACK}: values without keys, popped last in, first out. */
    STACK(23),
    /**
     * {@code BPF_MAP_TYPE_STRUCT_OPS}: one kernel struct of operations (e.g. a TCP congestion control)
     * whose function pointers are programs; what {@code .struct_ops} and {@code .struct_ops.link} variables become.
     */
    STRUCT_OPS(26),
    /** {@code BPF_MAP_TYPE_RINGBUF}: one ring buffer shared by all CPUs, read by user space in order. */
    RINGBUF(27),
    /** {@code BPF_MAP_TYPE_BLOOM_FILTER}: a set that answers "maybe present" or "surely absent"; {@code map_extra} holds its hash count. */
    BLOOM_FILTER(30),
    /** {@code BPF_MAP_TYPE_USER_RINGBUF}: a ring buffer user space writes and programs drain. */
    USER_RINGBUF(31),
    /**
     * {@code BPF_MAP_TYPE_ARENA} (Linux 6.9+): pages shared by programs and user space, mapped at one user
     * address; {@code max_entries} counts pages and {@code map_extra} holds that address (0: the first mmap picks it).
     */
    ARENA(33);

    private final int kernelValue;

    MapType(int kernelValue) {
        this.kernelValue = kernelValue;
    }

    /**
     * The number to pass to, and expect back from, {@code bpf(2)} for this type.
     *
     * @return the value of this type in the kernel's {@code enum bpf_map_type}
     */
    public int kernelValue() {
        return kernelValue;
    }

    /**
     * Whether the kernel keeps one copy of each value per possible CPU, so a lookup returns
     * {@code valueSize} times the number of possible CPUs bytes (each copy rounded up to 8).
     *
     * @return {@code true} for the per-CPU array and hash types
     */
    public boolean isPerCpu() {
        return this == PERCPU_ARRAY || this == PERCPU_HASH || this == LRU_PERCPU_HASH;
    }

    /**
     * The type of a map the kernel describes, e.g. in {@code bpf_map_info}.
     *
     * @param value a value of the kernel's {@code enum bpf_map_type}
     * @return the type with this kernel number, or empty for types this library does not name
     */
    public static Optional<MapType> fromKernel(int value) {
        return Arrays.stream(values()).filter(t -> t.kernelValue == value).findFirst();
    }
}
