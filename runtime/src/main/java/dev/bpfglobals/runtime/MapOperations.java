package dev.bpfglobals.runtime;

import dev.bpfglobals.contract.MapType;
import dev.bpfglobals.runtime.internal.BpfMaps;
import dev.bpfglobals.runtime.kernel.BpfCommand;
import dev.bpfglobals.runtime.kernel.BpfException;
import dev.bpfglobals.runtime.kernel.BpfFd;
import dev.bpfglobals.runtime.kernel.Errno;
import dev.bpfglobals.runtime.kernel.MapInfo;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.OptionalInt;

/**
 * The element, iteration, batch, queue, bloom filter and map-of-maps operations of a
 * {@link BpfMap}, kept in a file of their own so that the map class stays readable: each is a thin
 * delegate to the class that carries the operation out ({@link MapElements}, {@link MapBatches},
 * {@link MapQueue}, {@link BloomFilter}). Sealed: {@link BpfMap} is its only implementation.
 */
public sealed interface MapOperations permits BpfMap {

    /**
     * The map's descriptor, lent to the operations.
     *
     * @return the map's file descriptor, still owned by the map
     */
    BpfFd fd();

    /**
     * What the kernel reported about the map when it was opened; the operations read its type and sizes.
     *
     * @return the map's type, sizes, name and BTF ids
     */
    MapInfo info();

    /**
     * The element operations (lookup with a missing key answered empty, lookup-and-delete), in
     * {@code byte[]} forms and allocation-free forms on the caller's buffers.
     *
     * @return the map's element operations, one object for the map's lifetime
     */
    MapElements elements();

    /**
     * Writes {@code value} under {@code key} as {@code flag} allows; see
     * {@link MapElements#update(byte[], byte[], UpdateFlag)}.
     *
     * @param key the key's bytes, exactly the map's key size
     * @param value the new value, exactly {@link BpfMap#valueBytes()} bytes
     * @param flag whether the update may create the element, replace it, or both
     */
    default void update(byte[] key, byte[] value, UpdateFlag flag) {
        elements().update(key, value, flag);
    }

    /**
     * Deletes {@code key} if present; see {@link MapElements#delete(byte[])}.
     *
     * @param key the key's bytes, exactly the map's key size
     * @return whether there was an element under {@code key}
     */
    default boolean delete(byte[] key) {
        return elements().delete(key);
    }

    /**
     * The keys, each walk by BPF_MAP_GET_NEXT_KEY and safe against concurrent deletes (see
     * docs/map-operations.md).
     *
     * @return the keys, walked afresh by each {@code iterator()}, each a copy of {@code key_size} bytes
     */
    default Iterable<byte[]> keys() {
        return MapIterator.keys(self(), elements());
    }

    /**
     * The keys with their values, walked as {@link #keys()}; a key deleted before its value is read is skipped.
     *
     * @return the elements, walked afresh by each {@code iterator()}
     */
    default Iterable<MapEntry> entries() {
        return MapIterator.entries(self(), elements());
    }

    /**
     * Whole-map and many-element operations by the batch commands, falling back per element where there are none.
     *
     * @return the batch operations of this map
     * @throws IllegalArgumentException for a map without keys (QUEUE, STACK, BLOOM_FILTER)
     */
    default MapBatches batches() {
        return new MapBatches(self(), elements());
    }

    /**
     * This QUEUE or STACK map's push, pop and peek.
     *
     * @return the queue operations of this map
     * @throws IllegalArgumentException for a map of any other type
     */
    default MapQueue queue() {
        return new MapQueue(self(), elements());
    }

    /**
     * This PROG_ARRAY map's slots: set, read back as program ids, clear.
     *
     * @return the program slots of this map
     * @throws IllegalArgumentException for a map of any other type
     */
    default ProgramArray programArray() {
        return new ProgramArray(self(), elements());
    }

    /**
     * This BLOOM_FILTER map's push and test.
     *
     * @return the bloom filter operations of this map
     * @throws IllegalArgumentException for a map of any other type
     */
    default BloomFilter bloomFilter() {
        return new BloomFilter(self(), elements());
    }

    /**
     * Stores {@code inner} in slot {@code key} of this map of maps ({@code ARRAY_OF_MAPS} or
     * {@code HASH_OF_MAPS} with 4-byte keys), replacing what was there: programs that look the slot
     * up from their next run on reach {@code inner}. The kernel keeps its own reference, so
     * {@code inner} may be closed afterwards. libbpf's equivalent is
     * {@code bpf_map_update_elem(outer_fd, &key, &inner_fd, BPF_ANY)}.
     *
     * @param key the slot
     * @param inner the map to store there
     * @throws IllegalArgumentException if this is not a map of maps with 4-byte keys
     * @throws BpfException             if the kernel refuses (EINVAL: {@code inner} does not match the
     *                                  inner map definition's type, key, value size or flags)
     */
    default void updateInner(int key, BpfMap inner) {
        requireMapOfMaps();
        int innerFd = inner.fd().acquire();
        try (Arena arena = Arena.ofConfined()) {
            BpfMaps.update(fd(), arena.allocateFrom(ValueLayout.JAVA_INT, key), arena.allocateFrom(ValueLayout.JAVA_INT, innerFd), 0);
        } finally {
            inner.fd().release();
        }
    }

    /**
     * The id of the map in slot {@code key} of this map of maps (the kernel answers a lookup with the
     * inner map's id, not a descriptor); open it with {@link BpfMap#openById}. Empty for an empty slot.
     *
     * @param key the slot
     * @return the inner map's id, or empty for an empty slot
     * @throws IllegalArgumentException if this is not a map of maps with 4-byte keys
     */
    default OptionalInt innerMapId(int key) {
        requireMapOfMaps();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment id = arena.allocate(ValueLayout.JAVA_INT);
            long result = BpfMaps.lookupRaw(fd(), arena.allocateFrom(ValueLayout.JAVA_INT, key), id, 0);
            if (result == -Errno.ENOENT.number()) {
                return OptionalInt.empty();
            }
            if (result < 0) {
                throw new BpfException(BpfCommand.BPF_MAP_LOOKUP_ELEM, Errno.of((int) -result), fd().what());
            }
            return OptionalInt.of(id.get(ValueLayout.JAVA_INT, 0));
        }
    }

    private void requireMapOfMaps() {
        MapInfo info = info();
        MapType type = info.type().orElse(null);
        if ((type != MapType.ARRAY_OF_MAPS && type != MapType.HASH_OF_MAPS) || info.keySize() != 4) {
            throw new IllegalArgumentException("map '" + info.name() + "' is not a map of maps with 4-byte keys (type "
                    + info.type().map(Enum::name).orElse("unknown") + ", key size " + info.keySize()
                    + "); only ARRAY_OF_MAPS and HASH_OF_MAPS slots hold maps");
        }
    }

    /** The map itself, for the classes that carry the operations out: {@link BpfMap} is the only implementation. */
    private BpfMap self() {
        return (BpfMap) this;
    }
}
