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
 * Element operations of one {@link BpfMap} on any keyed map (HASH, LRU_HASH, the per-CPU kinds,
 * ARRAY, LPM_TRIE), as libbpf's {@code bpf_map_*_elem} calls: in {@code byte[]} forms, and in
 * allocation-free forms on the caller's {@link MemorySegment} buffers for hot paths.
 *
 * <p>A missing key is an answer, not a failure: lookups return empty or {@code false}, and
 * {@link #delete} returns {@code false} (delete-if-present). Every other refusal throws a
 * {@link BpfException} naming the command and errno. Values of per-CPU maps hold one
 * {@code round_up(value_size, 8)}-byte slot per possible CPU (see {@link BpfMap#valueBytes()}).
 */
public final class MapElements {

    private final BpfMap map;

    MapElements(BpfMap map) {
        this.map = map;
    }

    /**
     * The value under {@code key} ({@code key_size} bytes).
     *
     * @param key the key's bytes, exactly the map's key size
     * @return a copy of the value ({@link BpfMap#valueBytes()} bytes), or empty when the map has no such key
     */
    public Optional<byte[]> lookup(byte[] key) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = valueBuffer(arena);
            return lookup(keySegment(arena, key), value) ? Optional.of(bytes(value)) : Optional.empty();
        }
    }

    /**
     * Looks {@code key} up into {@code value} ({@link BpfMap#valueBytes()} bytes), allocating nothing.
     *
     * @param key a buffer holding the key, at least the map's key size
     * @param value where the value goes, at least {@link BpfMap#valueBytes()} bytes
     * @return whether the key is present; {@code value} is untouched when it is not
     */
    public boolean lookup(MemorySegment key, MemorySegment value) {
        checkSizes(key, value);
        return found(BpfCommand.BPF_MAP_LOOKUP_ELEM, BpfMaps.lookupRaw(map.fd(), key, value, 0));
    }

    /**
     * Writes {@code value} under {@code key} as {@code flag} allows.
     *
     * @param key the key's bytes, exactly the map's key size
     * @param value the new value, exactly {@link BpfMap#valueBytes()} bytes
     * @param flag whether the update may create the element, replace it, or both
     * @throws BpfException EEXIST under {@link UpdateFlag#NOEXIST} for a present key, ENOENT under
     *                      {@link UpdateFlag#EXIST} for a missing one, E2BIG when the map is full
     */
    public void update(byte[] key, byte[] value, UpdateFlag flag) {
        checkValueLength(value);
        try (Arena arena = Arena.ofConfined()) {
            update(keySegment(arena, key), arena.allocateFrom(ValueLayout.JAVA_BYTE, value), flag);
        }
    }

    /**
     * As {@link #update(byte[], byte[], UpdateFlag)} on the caller's buffers, allocating nothing.
     *
     * @param key a buffer holding the key, at least the map's key size
     * @param value a buffer holding the new value, at least {@link BpfMap#valueBytes()} bytes
     * @param flag whether the update may create the element, replace it, or both
     */
    public void update(MemorySegment key, MemorySegment value, UpdateFlag flag) {
        checkSizes(key, value);
        long result = BpfMaps.updateRaw(map.fd(), key, value, flag.kernelValue());
        if (result < 0) {
            throw refusal(BpfCommand.BPF_MAP_UPDATE_ELEM, result, flag);
        }
    }

    /**
     * Deletes the element under {@code key} if there is one.
     *
     * @param key the key's bytes, exactly the map's key size
     * @return whether there was one (ENOENT answers {@code false})
     * @throws BpfException EINVAL for an ARRAY or PERCPU_ARRAY, whose elements cannot be deleted
     */
    public boolean delete(byte[] key) {
        try (Arena arena = Arena.ofConfined()) {
            return delete(keySegment(arena, key));
        }
    }

    /**
     * As {@link #delete(byte[])} with the key in the caller's buffer, allocating nothing.
     *
     * @param key a buffer holding the key, at least the map's key size
     * @return whether there was an element under {@code key}
     */
    public boolean delete(MemorySegment key) {
        checkKey(key);
        return found(BpfCommand.BPF_MAP_DELETE_ELEM, MapCommands.deleteRaw(map.fd(), key));
    }

    /**
     * The value under {@code key}, removed from the map in the same call.
     *
     * @param key the key's bytes, exactly the map's key size
     * @return a copy of the removed value, or empty when the map had no such key
     */
    public Optional<byte[]> lookupAndDelete(byte[] key) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = valueBuffer(arena);
            return lookupAndDelete(keySegment(arena, key), value) ? Optional.of(bytes(value)) : Optional.empty();
        }
    }

    /**
     * As {@link #lookupAndDelete(byte[])} into the caller's {@code value} buffer, allocating nothing.
     *
     * @param key a buffer holding the key, at least the map's key size
     * @param value where the removed value goes, at least {@link BpfMap#valueBytes()} bytes
     * @return whether the key was present
     */
    public boolean lookupAndDelete(MemorySegment key, MemorySegment value) {
        checkSizes(key, value);
        return found(BpfCommand.BPF_MAP_LOOKUP_AND_DELETE_ELEM, MapCommands.lookupAndDeleteRaw(map.fd(), key, value));
    }

    /**
     * One step of a key walk, allocating nothing: the key after {@code key} into {@code next}, or
     * the first key when {@code key} is {@link MemorySegment#NULL}. When {@code key} is no longer in
     * the map, a HASH or LPM_TRIE answers its first key again; {@link BpfMap#keys()} handles that.
     *
     * @param key a buffer holding the current key, or {@link MemorySegment#NULL} to start the walk
     * @param next where the next key goes, at least the map's key size
     * @return whether there was a next key
     */
    public boolean nextKey(MemorySegment key, MemorySegment next) {
        if (!key.equals(MemorySegment.NULL)) {
            checkKey(key);
        }
        checkKey(next);
        return found(BpfCommand.BPF_MAP_GET_NEXT_KEY, MapCommands.nextKeyRaw(map.fd(), key, next));
    }

    /** True for 0, false for ENOENT, a {@link BpfException} for any other errno. */
    private boolean found(BpfCommand command, long result) {
        if (result == -Errno.ENOENT.number()) {
            return false;
        }
        if (result < 0) {
            throw refusal(command, result, UpdateFlag.ANY);
        }
        return true;
    }

    /** The kernel's refusal, with what it means for this map where the errno's generic hint would mislead. */
    BpfException refusal(BpfCommand command, long result, UpdateFlag flag) {
        Errno errno = Errno.of((int) -result);
        String context = describe();
        String hint = switch (errno) {
            case EEXIST -> "the key is present and the update asked BPF_NOEXIST (create only)"
                    + (isArray() ? "; every key of an array is always present" : "");
            case ENOENT -> flag == UpdateFlag.EXIST ? "the key is absent and the update asked BPF_EXIST (replace only)" : "";
            case E2BIG -> command == BpfCommand.BPF_MAP_UPDATE_ELEM
                    ? "the map is full (max_entries " + map.info().maxEntries() + "); delete elements or use an LRU map" : "";
            case EINVAL -> isArray() && command != BpfCommand.BPF_MAP_LOOKUP_ELEM
                    && command != BpfCommand.BPF_MAP_UPDATE_ELEM && command != BpfCommand.BPF_MAP_GET_NEXT_KEY
                    ? "array elements cannot be deleted; overwrite them with update" : "";
            case ENOTSUPP -> command == BpfCommand.BPF_MAP_LOOKUP_AND_DELETE_ELEM
                    ? "only hash maps, queues and stacks take a lookup and delete in one call; look up, then delete" : "";
            default -> "";
        };
        return hint.isEmpty() ? new BpfException(command, errno, context) : new BpfException(command, errno, context, hint);
    }

    private boolean isArray() {
        MapType type = map.info().type().orElse(null);
        return type == MapType.ARRAY || type == MapType.PERCPU_ARRAY;
    }

    /** Refuses a map whose elements have no keys (QUEUE, STACK, BLOOM_FILTER) for an operation on keys. */
    void requireKeys(String operation) {
        if (map.info().keySize() == 0) {
            throw new IllegalArgumentException(describe() + " has no keys to " + operation
                    + "; use BpfMap.queue() or BpfMap.bloomFilter()");
        }
    }

    /** Refuses a map of any type but {@code types} for the view {@code view}. */
    void requireType(String view, MapType... types) {
        MapType type = map.info().type().orElse(null);
        if (!java.util.List.of(types).contains(type)) {
            throw new IllegalArgumentException(describe() + " has no " + view + "; only "
                    + java.util.Arrays.toString(types) + " maps do");
        }
    }

    String describe() {
        return "map '" + map.info().name() + "' (" + map.info().typeName() + ")";
    }

    MemorySegment keySegment(Arena arena, byte[] key) {
        if (key.length != map.info().keySize()) {
            throw new IllegalArgumentException(describe() + " has " + map.info().keySize() + "-byte keys; got "
                    + key.length + " bytes");
        }
        return arena.allocateFrom(ValueLayout.JAVA_BYTE, key);
    }

    MemorySegment valueBuffer(Arena arena) {
        return arena.allocate(Math.max(1, map.valueBytes()), 8);
    }

    byte[] bytes(MemorySegment value) {
        return value.asSlice(0, map.valueBytes()).toArray(ValueLayout.JAVA_BYTE);
    }

    void checkValueLength(byte[] value) {
        if (value.length != map.valueBytes()) {
            throw new IllegalArgumentException(describe() + " takes " + map.valueBytes() + "-byte values"
                    + (map.valueBytes() != map.info().valueSize() ? " (one 8-byte-aligned slot per possible CPU)" : "")
                    + "; got " + value.length + " bytes");
        }
    }

    private void checkKey(MemorySegment key) {
        if (key.byteSize() < map.info().keySize()) {
            throw new IllegalArgumentException(describe() + " needs a " + map.info().keySize() + "-byte key buffer; got "
                    + key.byteSize());
        }
    }

    private void checkSizes(MemorySegment key, MemorySegment value) {
        checkKey(key);
        if (value.byteSize() < map.valueBytes()) {
            throw new IllegalArgumentException(describe() + " needs a " + map.valueBytes() + "-byte value buffer; got "
                    + value.byteSize());
        }
    }
}
