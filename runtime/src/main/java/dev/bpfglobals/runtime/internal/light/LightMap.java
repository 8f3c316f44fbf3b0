package dev.bpfglobals.runtime.internal.light;

import java.util.Arrays;
import java.util.Objects;

/**
 * One map the loader program creates: the {@code BPF_MAP_CREATE} attributes, what to write into
 * it, and whether to freeze it.
 *
 * @param name          the kernel's name for it (15 characters kept), also how the result names it
 * @param type          {@code enum bpf_map_type}
 * @param keySize       key size in bytes
 * @param valueSize     value size in bytes
 * @param maxEntries    number of entries
 * @param flags         {@code map_flags} ({@code BPF_F_MMAPABLE}, {@code BPF_F_RDONLY_PROG} ...)
 * @param btfKeyTypeId  the key's type in the loader's BTF, 0 for none
 * @param btfValueTypeId the value's type in the loader's BTF, 0 for none; with BTF the map is
 *                      created against the BTF the loader loads first
 * @param initialValue  the value written at key 0 (its length is {@code valueSize}), null for none;
 *                      for a PERCPU_ARRAY every CPU's copy gets it
 * @param freeze        whether to freeze the map once filled ({@code .rodata})
 */
public record LightMap(String name, int type, int keySize, int valueSize, int maxEntries, int flags,
        int btfKeyTypeId, int btfValueTypeId, byte[] initialValue, boolean freeze) {

    /** {@code BPF_MAP_TYPE_ARRAY}. */
    public static final int ARRAY = 2;
    /** {@code BPF_MAP_TYPE_PERCPU_ARRAY}. */
    public static final int PERCPU_ARRAY = 6;

    /** Checks the image fits the value. */
    public LightMap {
        Objects.requireNonNull(name, "name");
        if (initialValue != null && initialValue.length != valueSize) {
            throw new IllegalArgumentException("map '" + name + "': initial value has " + initialValue.length
                    + " bytes, its value size is " + valueSize);
        }
        initialValue = initialValue == null ? null : initialValue.clone();
    }

    /** {@return whether every CPU has its own copy of the value} */
    public boolean perCpu() {
        return type == PERCPU_ARRAY || type == 5 /* PERCPU_HASH */ || type == 10 /* LRU_PERCPU_HASH */;
    }

    /** {@return the initial value, a copy, or null} */
    @Override
    public byte[] initialValue() {
        return initialValue == null ? null : initialValue.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LightMap m && name.equals(m.name) && type == m.type && keySize == m.keySize
                && valueSize == m.valueSize && maxEntries == m.maxEntries && flags == m.flags
                && btfKeyTypeId == m.btfKeyTypeId && btfValueTypeId == m.btfValueTypeId
                && Arrays.equals(initialValue, m.initialValue) && freeze == m.freeze;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, type, keySize, valueSize, maxEntries, flags, btfKeyTypeId, btfValueTypeId,
                Arrays.hashCode(initialValue), freeze);
    }

    @Override
    public String toString() {
        return "LightMap[" + name + ", type " + type + ", key " + keySize + ", value " + valueSize + ", entries "
                + maxEntries + ", flags " + flags + (initialValue == null ? "" : ", initial value") + (freeze ? ", frozen" : "") + "]";
    }
}
