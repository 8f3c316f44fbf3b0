package dev.bpfglobals.runtime;

import dev.bpfglobals.contract.MapType;
import dev.bpfglobals.runtime.internal.Bpf;
import dev.bpfglobals.runtime.internal.BpfMaps;
import dev.bpfglobals.runtime.internal.MapCommands;
import dev.bpfglobals.runtime.kernel.BpfCommand;
import dev.bpfglobals.runtime.kernel.BpfException;
import dev.bpfglobals.runtime.kernel.Errno;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Optional;

/**
 * A QUEUE (first in, first out) or STACK (last in, first out) map, whose elements have values and
 * no keys: {@code push} is BPF_MAP_UPDATE_ELEM, {@code pop} BPF_MAP_LOOKUP_AND_DELETE_ELEM and
 * {@code peek} BPF_MAP_LOOKUP_ELEM, each with a NULL key, as libbpf's {@code bpf_map_update_elem},
 * {@code bpf_map_lookup_and_delete_elem} and {@code bpf_map_lookup_elem} pass it. Made by
 * {@link BpfMap#queue()}; an empty map answers empty, not an exception.
 */
public final class MapQueue {

    private final BpfMap map;
    private final MapElements elements;

    MapQueue(BpfMap map, MapElements elements) {
        this.map = map;
        this.elements = elements;
        elements.requireType("push, pop and peek", MapType.QUEUE, MapType.STACK);
    }

    /**
     * Adds {@code value} ({@code value_size} bytes).
     *
     * @param value the value to add, exactly the map's value size
     * @throws BpfException E2BIG when the map is full; {@link #pushOverwriting} drops the oldest instead
     */
    public void push(byte[] value) {
        push(value, UpdateFlag.ANY);
    }

    /**
     * Adds {@code value}, dropping the oldest value when the map is full (BPF_EXIST).
     *
     * @param value the value to add, exactly the map's value size
     */
    public void pushOverwriting(byte[] value) {
        push(value, UpdateFlag.EXIST);
    }

    private void push(byte[] value, UpdateFlag flag) {
        elements.checkValueLength(value);
        try (Arena arena = Arena.ofConfined()) {
            push(arena.allocateFrom(ValueLayout.JAVA_BYTE, value), flag);
        }
    }

    /**
     * As {@link #push(byte[])} from the caller's buffer, allocating nothing.
     *
     * @param value a buffer holding the value to add, at least the map's value size
     * @param flag {@link UpdateFlag#ANY} to fail with E2BIG when full, {@link UpdateFlag#EXIST} to
     *        drop the oldest value instead
     * @throws BpfException E2BIG when the map is full and {@code flag} is {@link UpdateFlag#ANY}
     */
    public void push(MemorySegment value, UpdateFlag flag) {
        checkValue(value);
        long result = BpfMaps.updateRaw(map.fd(), MemorySegment.NULL, value, flag.kernelValue());
        if (result < 0) {
            throw elements.refusal(BpfCommand.BPF_MAP_UPDATE_ELEM, result, flag);
        }
    }

    /**
     * Takes the next value out (the oldest of a QUEUE, the newest of a STACK).
     *
     * @return the value taken out, or empty when the map is empty
     */
    public Optional<byte[]> pop() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = elements.valueBuffer(arena);
            return pop(value) ? Optional.of(elements.bytes(value)) : Optional.empty();
        }
    }

    /**
     * As {@link #pop()} into the caller's buffer, allocating nothing.
     *
     * @param value where the value taken out goes, at least the map's value size
     * @return whether there was a value (false: the map is empty)
     */
    public boolean pop(MemorySegment value) {
        checkValue(value);
        return answer(BpfCommand.BPF_MAP_LOOKUP_AND_DELETE_ELEM,
                MapCommands.lookupAndDeleteRaw(map.fd(), MemorySegment.NULL, value));
    }

    /**
     * The value {@link #pop()} would take, left in place.
     *
     * @return a copy of the next value, or empty when the map is empty
     */
    public Optional<byte[]> peek() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = elements.valueBuffer(arena);
            return peek(value) ? Optional.of(elements.bytes(value)) : Optional.empty();
        }
    }

    /**
     * As {@link #peek()} into the caller's buffer, allocating nothing.
     *
     * @param value where a copy of the next value goes, at least the map's value size
     * @return whether there was a value (false: the map is empty)
     */
    public boolean peek(MemorySegment value) {
        checkValue(value);
        return answer(BpfCommand.BPF_MAP_LOOKUP_ELEM, BpfMaps.lookupRaw(map.fd(), MemorySegment.NULL, value, 0));
    }

    private boolean answer(BpfCommand command, long result) {
        if (result == -Errno.ENOENT.number()) {
            return false; // empty
        }
        if (result < 0) {
            throw elements.refusal(command, result, UpdateFlag.ANY);
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
