package dev.bpfglobals.runtime;

import dev.bpfglobals.contract.MapType;
import dev.bpfglobals.runtime.internal.Bpf;
import dev.bpfglobals.runtime.internal.BpfMaps;
import dev.bpfglobals.runtime.kernel.BpfCommand;
import dev.bpfglobals.runtime.kernel.BpfException;
import dev.bpfglobals.runtime.kernel.Errno;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A BLOOM_FILTER map (kernel 5.16+): values go in and can be tested, never read back or deleted.
 * {@code push} is BPF_MAP_UPDATE_ELEM with a NULL key; {@code mightContain} is BPF_MAP_LOOKUP_ELEM
 * with a NULL key and the value to test, which the kernel answers with 0 (maybe present: false
 * positives happen, at a rate set by {@code max_entries} and the hash count in {@code map_extra})
 * or ENOENT (certainly absent). Made by {@link BpfMap#bloomFilter()}.
 */
public final class BloomFilter {

    private final BpfMap map;
    private final MapElements elements;

    BloomFilter(BpfMap map, MapElements elements) {
        this.map = map;
        this.elements = elements;
        elements.requireType("push and mightContain", MapType.BLOOM_FILTER);
    }

    /**
     * Adds {@code value} ({@code value_size} bytes).
     *
     * @param value the value to add, exactly the map's value size
     * @throws IllegalArgumentException if {@code value} is not the map's value size
     */
    public void push(byte[] value) {
        elements.checkValueLength(value);
        try (Arena arena = Arena.ofConfined()) {
            push(arena.allocateFrom(ValueLayout.JAVA_BYTE, value));
        }
    }

    /**
     * As {@link #push(byte[])} from the caller's buffer, allocating nothing.
     *
     * @param value a buffer holding the value to add, at least the map's value size
     */
    public void push(MemorySegment value) {
        checkValue(value);
        long result = BpfMaps.updateRaw(map.fd(), MemorySegment.NULL, value, UpdateFlag.ANY.kernelValue());
        if (result < 0) {
            throw elements.refusal(BpfCommand.BPF_MAP_UPDATE_ELEM, result, UpdateFlag.ANY);
        }
    }

    /**
     * False when {@code value} was certainly never pushed; true when it may have been.
     *
     * @param value the value to test, exactly the map's value size
     * @return false if {@code value} was certainly never pushed; true if it may have been (false
     *         positives happen, false negatives do not)
     */
    public boolean mightContain(byte[] value) {
        elements.checkValueLength(value);
        try (Arena arena = Arena.ofConfined()) {
            return mightContain(arena.allocateFrom(ValueLayout.JAVA_BYTE, value));
        }
    }

    /**
     * As {@link #mightContain(byte[])} on the caller's buffer, allocating nothing.
     *
     * @param value a buffer holding the value to test, at least the map's value size
     * @return false if {@code value} was certainly never pushed; true if it may have been
     * @throws BpfException for any answer but 0 and ENOENT
     */
    public boolean mightContain(MemorySegment value) {
        checkValue(value);
        long result = BpfMaps.lookupRaw(map.fd(), MemorySegment.NULL, value, 0);
        if (result == -Errno.ENOENT.number()) {
            return false;
        }
        if (result < 0) {
            throw elements.refusal(BpfCommand.BPF_MAP_LOOKUP_ELEM, result, UpdateFlag.ANY);
        }
        return true;
    }

    private void checkValue(MemorySegment value) {
        if (value.byteSize() < map.valueBytes()) {
            throw new IllegalArgumentException(elements.describe() + " needs a " + map.valueBytes()
                    + "-byte value buffer; got " + value.byteSize());
        }
    }
}
