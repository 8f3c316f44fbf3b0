package dev.bpfglobals.runtime;

import dev.bpfglobals.contract.MapType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A live per-CPU map (PERCPU_HASH, PERCPU_ARRAY, LRU_PERCPU_HASH) read and written as Java values
 * through {@link MapCodec}s: a lookup gives every possible CPU's value of a key at once, as
 * {@link PerCpuValues}. Binding checks the map as {@link TypedMap} does (the value's C type is one
 * CPU's). The view owns its map: {@link #close()} closes it.
 *
 * @param <K> the key type
 * @param <V> the type of one CPU's value
 */
public final class PerCpuTypedMap<K, V> implements AutoCloseable {

    private final BpfMap map;
    private final MapCodec<K> keys;
    private final MapCodec<V> values;
    private final PossibleCpus cpus = PossibleCpus.system();
    private final long stride;

    private PerCpuTypedMap(BpfMap map, MapCodec<K> keys, MapCodec<V> values) {
        this.map = map;
        this.keys = keys;
        this.values = values;
        this.stride = PerCpuSnapshot.slotStride(values.size());
    }

    /**
     * A typed view of per-CPU {@code map}, which it takes over: closing the view closes the map.
     *
     * @param <K> the key type
     * @param <V> the type of one CPU's value
     * @param map an open PERCPU_HASH, PERCPU_ARRAY or LRU_PERCPU_HASH map, from now on the view's
     * @param keys the codec of its keys
     * @param values the codec of one CPU's value
     * @return the view
     * @throws MapTypeMismatchException naming the first difference between the map and the codecs
     *                                  (the map is closed then)
     * @throws IllegalArgumentException for a map of another type (the map is closed then)
     */
    public static <K, V> PerCpuTypedMap<K, V> of(BpfMap map, MapCodec<K> keys, MapCodec<V> values) {
        Objects.requireNonNull(map, "map");
        try {
            map.elements().requireType("value per CPU", MapType.PERCPU_HASH, MapType.PERCPU_ARRAY, MapType.LRU_PERCPU_HASH);
            MapTypeCheck.check(map, Objects.requireNonNull(keys, "keys"), Objects.requireNonNull(values, "values"));
            return new PerCpuTypedMap<>(map, keys, values);
        } catch (RuntimeException e) {
            map.close();
            throw e;
        }
    }

    /**
     * Every possible CPU's value under {@code key}, read in one call.
     *
     * @param key the key
     * @return the values, or empty when the map has no such key
     */
    public Optional<PerCpuValues<V>> lookup(K key) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment slots = arena.allocate(map.valueBytes(), 8);
            return map.elements().lookup(TypedMap.encode(arena, keys, key), slots)
                    ? Optional.of(decode(slots)) : Optional.empty();
        }
    }

    /**
     * Writes {@code value} as every CPU's value under {@code key}, creating or replacing it.
     *
     * @param key the key
     * @param value the value each CPU gets
     */
    public void update(K key, V value) {
        update(key, cpu -> value, UpdateFlag.ANY);
    }

    /**
     * Writes each CPU's value under {@code key} as {@code flag} allows.
     *
     * @param key the key
     * @param valueOfCpu the value for one possible CPU, given its id
     * @param flag whether the update may create the element, replace it, or both
     */
    public void update(K key, IntFunction<V> valueOfCpu, UpdateFlag flag) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment slots = arena.allocate(map.valueBytes(), 8);
            for (int slot = 0; slot < cpus.count(); slot++) {
                V value = Objects.requireNonNull(valueOfCpu.apply(cpus.cpuAt(slot)), "value of CPU " + cpus.cpuAt(slot));
                values.encode(value, slots.asSlice(slot * stride, values.size()));
            }
            map.elements().update(TypedMap.encode(arena, keys, key), slots, flag);
        }
    }

    /**
     * Deletes the element under {@code key} if there is one.
     *
     * @param key the key
     * @return whether there was one
     */
    public boolean delete(K key) {
        try (Arena arena = Arena.ofConfined()) {
            return map.elements().delete(TypedMap.encode(arena, keys, key));
        }
    }

    /** {@return the keys, walked as {@link TypedMap#keys()} walks them} */
    public Stream<K> keys() {
        return StreamSupport.stream(map.keys().spliterator(), false).map(keys::fromBytes);
    }

    /** {@return the elements, each key with every CPU's value; a key deleted before its value is read is skipped} */
    public Stream<Map.Entry<K, PerCpuValues<V>>> entries() {
        return StreamSupport.stream(map.entries().spliterator(), false)
                .map(entry -> Map.entry(keys.fromBytes(entry.key()), decode(MemorySegment.ofArray(entry.value()))));
    }

    /** {@return the map, lent: it stays this view's, which closes it} */
    public BpfMap map() {
        return map;
    }

    /** Closes the map. */
    @Override
    public void close() {
        map.close();
    }

    private PerCpuValues<V> decode(MemorySegment slots) {
        List<V> decoded = new ArrayList<>(cpus.count());
        for (int slot = 0; slot < cpus.count(); slot++) {
            decoded.add(values.decode(slots.asSlice(slot * stride, values.size())));
        }
        return new PerCpuValues<>(cpus, decoded);
    }
}
