package dev.bpfglobals.runtime;

import dev.bpfglobals.contract.MapType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The keyed map types the map operation tests run on, each with how its maps are made and how its
 * keys and values are spelled: 4-byte keys, 8-byte values (one slot per possible CPU for the
 * per-CPU kinds), and for the LPM trie an 8-byte key of prefix length 32 and an IPv4 address.
 */
enum KeyedMapKind {
    HASH(MapType.HASH),
    LRU_HASH(MapType.LRU_HASH),
    PERCPU_HASH(MapType.PERCPU_HASH),
    LRU_PERCPU_HASH(MapType.LRU_PERCPU_HASH),
    ARRAY(MapType.ARRAY),
    PERCPU_ARRAY(MapType.PERCPU_ARRAY),
    LPM_TRIE(MapType.LPM_TRIE);

    /** BPF_F_NO_PREALLOC, which an LPM trie requires. */
    static final int NO_PREALLOC = 1;
    /** An array's size in these tests: small, since every index of an array is a key. */
    static final int ARRAY_ENTRIES = 4;

    final MapType type;

    KeyedMapKind(MapType type) {
        this.type = type;
    }

    boolean isArray() {
        return this == ARRAY || this == PERCPU_ARRAY;
    }

    /** A new map of this kind, holding up to {@code entries} elements (arrays: {@link #ARRAY_ENTRIES}). */
    BpfMap create(int entries) {
        return BpfMap.create(type, this == LPM_TRIE ? 8 : 4, 8, isArray() ? ARRAY_ENTRIES : entries,
                this == LPM_TRIE ? NO_PREALLOC : 0, 0, "test_" + name().toLowerCase());
    }

    /** Key number {@code i} (0 to 255): the integer, or for the trie the host route 10.0.0.i/32. */
    byte[] key(int i) {
        if (this == LPM_TRIE) {
            return ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putInt(32)
                    .put((byte) 10).put((byte) 0).put((byte) 0).put((byte) i).array();
        }
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(i).array();
    }

    /** A value for {@code map}: {@code n}, and on per-CPU maps {@code n + slot} in each CPU's slot. */
    static byte[] value(BpfMap map, long n) {
        ByteBuffer value = ByteBuffer.allocate((int) map.valueBytes()).order(ByteOrder.nativeOrder());
        for (int slot = 0; slot * 8 < value.capacity(); slot++) {
            value.putLong(slot * 8, n + slot);
        }
        return value.array();
    }

    /** The 8-byte value in slot {@code slot} of {@code value}. */
    static long slot(byte[] value, int slot) {
        return ByteBuffer.wrap(value).order(ByteOrder.nativeOrder()).getLong(slot * 8);
    }

    /** The integer a 4-byte key holds. */
    static int keyNumber(byte[] key) {
        return ByteBuffer.wrap(key).order(ByteOrder.nativeOrder()).getInt();
    }
}
