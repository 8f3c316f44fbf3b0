package dev.bpfglobals.runtime;

import java.util.HexFormat;

/**
 * One element of a map as raw bytes: a key of {@code key_size} bytes and its value of
 * {@link BpfMap#valueBytes()} bytes (for a per-CPU map, one {@code round_up(value_size, 8)}-byte
 * slot per possible CPU, in {@link PossibleCpus} order). Arrays compare by identity, as in every
 * record; compare {@link #key()} and {@link #value()} with {@link java.util.Arrays#equals}.
 *
 * @param key the element's key, {@code key_size} bytes
 * @param value the element's value, {@link BpfMap#valueBytes()} bytes
 */
public record MapEntry(byte[] key, byte[] value) {

    @Override
    public String toString() {
        return "MapEntry[key=" + HexFormat.of().formatHex(key) + ", value=" + (value == null ? "none" : HexFormat.of().formatHex(value)) + "]";
    }
}
