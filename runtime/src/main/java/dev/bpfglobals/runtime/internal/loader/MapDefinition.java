package dev.bpfglobals.runtime.internal.loader;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A map as the object's {@code .maps} section declares it: the loader's data behind the public
 * {@code MapSpec}, field for field.
 *
 * @param name         the variable's name
 * @param type         the kernel map type number
 * @param keySize      key size in bytes
 * @param valueSize    value size in bytes
 * @param maxEntries   entry count
 * @param flags        creation flags
 * @param mapExtra     {@code map_extra} (a bloom filter's hash count), 0 when not declared
 * @param pinnedByName whether it is declared {@code __uint(pinning, LIBBPF_PIN_BY_NAME)}
 * @param keyTypeId    BTF type id of the key, 0 when given only as a size
 * @param valueTypeId  BTF type id of the value, 0 when given only as a size
 * @param inner        the inner map of a map of maps, {@code null} otherwise
 * @param slots        the initial {@code .values}: slot index to the name of the map or program it holds
 */
public record MapDefinition(String name, int type, int keySize, int valueSize, int maxEntries, int flags, long mapExtra,
        boolean pinnedByName, int keyTypeId, int valueTypeId, MapDefinition inner, SortedMap<Integer, String> slots) {

    /** Checks the name and copies the slots. */
    public MapDefinition {
        Objects.requireNonNull(name, "name");
        slots = Collections.unmodifiableSortedMap(new TreeMap<>(slots == null ? Map.of() : slots));
    }

    /**
     * {@return the same map with {@code filled} as its initial slots}
     *
     * @param filled slot index to the name of what it holds
     */
    public MapDefinition withSlots(SortedMap<Integer, String> filled) {
        return new MapDefinition(name, type, keySize, valueSize, maxEntries, flags, mapExtra, pinnedByName, keyTypeId, valueTypeId,
                inner, filled);
    }
}
