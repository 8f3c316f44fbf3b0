package dev.bpfglobals.runtime;

import dev.bpfglobals.contract.MapType;
import dev.bpfglobals.runtime.internal.loader.MapDefinition;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A map declared in the object's BTF-defined {@code .maps} section.
 *
 * @param name        the variable's name
 * @param type        the kernel map type number ({@code enum bpf_map_type})
 * @param keySize     key size in bytes (from {@code __type(key, ...)} or {@code __uint(key_size, ...)})
 * @param valueSize   value size in bytes (from {@code __type(value, ...)} or {@code __uint(value_size, ...)})
 * @param maxEntries  entry count
 * @param flags       creation flags ({@code map_flags})
 * @param pinning     whether libbpf would pin the map by name
 * @param keyTypeId   BTF type id of the key in the object's BTF, 0 when given only as a size
 * @param valueTypeId BTF type id of the value in the object's BTF, 0 when given only as a size
 * @param inner       for a map of maps ({@code ARRAY_OF_MAPS}, {@code HASH_OF_MAPS}), the inner map
 *                    {@code __array(values, struct { ... })} describes; {@code null} otherwise
 * @param slots       the initial {@code .values = { [i] = &map }}: slot index to the name of the
 *                    {@code .maps} map it holds, in index order
 */
public record MapSpec(String name, int type, int keySize, int valueSize, int maxEntries, int flags, Pinning pinning,
        int keyTypeId, int valueTypeId, MapSpec inner, SortedMap<Integer, String> slots) {

    /** {@code __uint(pinning, ...)}: {@code LIBBPF_PIN_NONE} or {@code LIBBPF_PIN_BY_NAME}. */
    public enum Pinning {
        /** Not pinned. */
        NONE,
        /** Pinned under the pin root by its name. */
        BY_NAME
    }

    /** Checks the fields. */
    public MapSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(pinning, "pinning");
        slots = Collections.unmodifiableSortedMap(new TreeMap<>(slots == null ? Map.of() : slots));
    }

    /**
     * A map with no inner map and no initial slots.
     *
     * @param name the variable's name
     * @param type the kernel map type number ({@code enum bpf_map_type})
     * @param keySize key size in bytes
     * @param valueSize value size in bytes
     * @param maxEntries entry count
     * @param flags creation flags ({@code map_flags})
     * @param pinning whether libbpf would pin the map by name
     * @param keyTypeId BTF type id of the key in the object's BTF, 0 when given only as a size
     * @param valueTypeId BTF type id of the value in the object's BTF, 0 when given only as a size
     */
    public MapSpec(String name, int type, int keySize, int valueSize, int maxEntries, int flags, Pinning pinning,
            int keyTypeId, int valueTypeId) {
        this(name, type, keySize, valueSize, maxEntries, flags, pinning, keyTypeId, valueTypeId, null, null);
    }

    /** The loader's data, as the readers found it. */
    static MapSpec of(MapDefinition d) {
        return new MapSpec(d.name(), d.type(), d.keySize(), d.valueSize(), d.maxEntries(), d.flags(),
                d.pinnedByName() ? Pinning.BY_NAME : Pinning.NONE, d.keyTypeId(), d.valueTypeId(),
                d.inner() == null ? null : of(d.inner()), d.slots());
    }

    /** {@return the inner map's definition, for a map of maps declared with {@code __array(values, ...)}} */
    public Optional<MapSpec> innerMap() {
        return Optional.ofNullable(inner);
    }

    /** {@return the map type, when this library names it} */
    public Optional<MapType> mapType() {
        return MapType.fromKernel(type);
    }
}
