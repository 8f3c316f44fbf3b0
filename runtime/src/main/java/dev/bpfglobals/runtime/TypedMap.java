package dev.bpfglobals.runtime;

import dev.bpfglobals.contract.MapType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A live map of one value per key (HASH, LRU_HASH, ARRAY, ...) read and written as Java values
 * through {@link MapCodec}s: {@code @BpfStruct} records or {@link MapCodecs scalars}. Per-CPU maps
 * take {@link PerCpuTypedMap} instead.
 *
 * <p>Binding checks the map against the codecs: the key and value sizes always, and, where the
 * map was created with BTF for its key or value (a map of a BPF object declared with
 * {@code __type(key, struct flow_key)}), that C type: kind, size, signedness, member names and
 * offsets, array lengths. A map without BTF (made with {@link BpfMap#create}, or declared with
 * {@code __uint(key_size, ...)}) is checked by its sizes only. The first difference is refused
 * with a {@link MapTypeMismatchException} naming it.
 *
 * <p>The view owns its map: {@link #close()} closes it. Safe from many threads, as {@link BpfMap} is.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class TypedMap<K, V> implements AutoCloseable {

    /** Map types whose values are per CPU, which {@link PerCpuTypedMap} reads. */
    static final Set<MapType> PER_CPU = Set.of(MapType.PERCPU_HASH, MapType.PERCPU_ARRAY, MapType.LRU_PERCPU_HASH);

    private final BpfMap map;
    private final MapCodec<K> keys;
    private final MapCodec<V> values;

    private TypedMap(BpfMap map, MapCodec<K> keys, MapCodec<V> values) {
        this.map = map;
        this.keys = keys;
        this.values = values;
    }

    /**
     * A typed view of {@code map}, which it takes over: closing the view closes the map.
     *
     * @param <K> the key type
     * @param <V> the value type
     * @param map an open map with one value per key, from now on the view's
     * @param keys the codec of its keys
     * @param values the codec of its values
     * @return the view
     * @throws MapTypeMismatchException naming the first difference between the map and the codecs
     *                                  (the map is closed then)
     * @throws IllegalArgumentException for a per-CPU map or one without keys (the map is closed then)
     */
    public static <K, V> TypedMap<K, V> of(BpfMap map, MapCodec<K> keys, MapCodec<V> values) {
        Objects.requireNonNull(map, "map");
        try {
            MapType type = map.info().type().orElse(null);
            if (PER_CPU.contains(type)) {
                throw new IllegalArgumentException(map.elements().describe() + " holds a value per CPU; use PerCpuTypedMap.of");
            }
            map.elements().requireKeys("look up");
            MapTypeCheck.check(map, Objects.requireNonNull(keys, "keys"), Objects.requireNonNull(values, "values"));
            return new TypedMap<>(map, keys, values);
        } catch (RuntimeException e) {
            map.close();
            throw e;
        }
    }

    /**
     * The value under {@code key}.
     *
     * @param key the key
     * @return its value, or empty when the map has no such key
     */
    public Optional<V> lookup(K key) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(values.size(), 8);
            return map.elements().lookup(encode(arena, keys, key), value) ? Optional.of(values.decode(value)) : Optional.empty();
        }
    }

    /**
     * Writes {@code value} under {@code key}, creating or replacing it (BPF_ANY).
     *
     * @param key the key
     * @param value the value
     * @throws dev.bpfglobals.runtime.kernel.BpfException E2BIG when the map is full
     */
    public void update(K key, V value) {
        update(key, value, UpdateFlag.ANY);
    }

    /**
     * Writes {@code value} under {@code key} as {@code flag} allows.
     *
     * @param key the key
     * @param value the value
     * @param flag whether the update may create the element, replace it, or both
     * @throws dev.bpfglobals.runtime.kernel.BpfException EEXIST under {@link UpdateFlag#NOEXIST} for
     *         a present key, ENOENT under {@link UpdateFlag#EXIST} for a missing one, E2BIG when full
     */
    public void update(K key, V value, UpdateFlag flag) {
        try (Arena arena = Arena.ofConfined()) {
            map.elements().update(encode(arena, keys, key), encode(arena, values, value), flag);
        }
    }

    /**
     * Deletes the element under {@code key} if there is one.
     *
     * @param key the key
     * @return whether there was one
     * @throws dev.bpfglobals.runtime.kernel.BpfException EINVAL for an ARRAY, whose elements cannot be deleted
     */
    public boolean delete(K key) {
        try (Arena arena = Arena.ofConfined()) {
            return map.elements().delete(encode(arena, keys, key));
        }
    }

    /**
     * The keys, walked as {@link BpfMap#keys()} walks them (each key at most once, safe against
     * concurrent deletes), decoded lazily.
     *
     * @return a stream of the keys, walking the map as it is consumed
     */
    public Stream<K> keys() {
        return StreamSupport.stream(map.keys().spliterator(), false).map(keys::fromBytes);
    }

    /**
     * The elements, walked as {@link #keys()}; a key deleted before its value is read is skipped.
     *
     * @return a stream of the keys with their values
     */
    public Stream<Map.Entry<K, V>> entries() {
        return StreamSupport.stream(map.entries().spliterator(), false)
                .map(entry -> Map.entry(keys.fromBytes(entry.key()), values.fromBytes(entry.value())));
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

    /** A native copy of {@code value}'s bytes, 8-aligned as the kernel's copy likes. */
    static <T> MemorySegment encode(Arena arena, MapCodec<T> codec, T value) {
        MemorySegment bytes = arena.allocate(codec.size(), 8);
        codec.encode(Objects.requireNonNull(value, "value"), bytes);
        return bytes;
    }
}
