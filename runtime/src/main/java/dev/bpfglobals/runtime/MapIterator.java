package dev.bpfglobals.runtime;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.ConcurrentModificationException;
import java.util.HashSet;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.stream.StreamSupport;

/**
 * A walk over a map's keys by BPF_MAP_GET_NEXT_KEY, safe against concurrent deletes.
 *
 * <p>When the key the walk stands on is deleted (by a program or another thread), the kernel
 * answers the next-key call of a HASH or LPM_TRIE with its first key again: the walk restarts. As
 * cilium/ebpf's {@code MapIterator} this walk survives that; unlike it, it remembers the keys it
 * has yielded and skips them, so that no key comes twice. The guarantee: each key comes at most
 * once, and every key present for the whole walk comes exactly once; keys added or deleted during
 * the walk may or may not come. The cost is a set of the keys yielded.
 *
 * <p>The walk is bounded, as cilium's (which aborts past {@code max_entries} steps): deletes alone
 * cause at most {@code max_entries} restarts and {@code max_entries} distinct keys, so past
 * {@code max_entries + 1} restarts or {@code 2 * max_entries} keys the map is being refilled faster
 * than it can be walked, and {@link #hasNext()} or {@link #next()} throws {@link ConcurrentModificationException} rather
 * than walk forever.
 */
final class MapIterator implements Iterator<byte[]> {

    private final MapElements elements;
    private final int keySize;
    private final long maxRestarts;
    private final long maxKeys;
    private final MemorySegment current;
    private final MemorySegment next;
    private final Set<ByteBuffer> yielded = new HashSet<>();
    private boolean started;
    private boolean finished;
    private boolean onYieldedKey;
    private long restarts;
    private byte[] pending;

    /** The keys of {@code map}, each {@code iterator()} a new walk. */
    static Iterable<byte[]> keys(BpfMap map, MapElements elements) {
        elements.requireKeys("walk");
        return () -> new MapIterator(map, elements);
    }

    /** The keys of {@code map} with their values; a key deleted before its value is read is skipped. */
    static Iterable<MapEntry> entries(BpfMap map, MapElements elements) {
        Iterable<byte[]> keys = keys(map, elements);
        return () -> StreamSupport.stream(keys.spliterator(), false)
                .flatMap(key -> elements.lookup(key).map(value -> new MapEntry(key, value)).stream())
                .iterator();
    }

    private MapIterator(BpfMap map, MapElements elements) {
        this.elements = elements;
        this.keySize = map.info().keySize();
        this.maxRestarts = map.info().maxEntries() + 1L;
        this.maxKeys = 2L * map.info().maxEntries();
        // Native buffers for the walk's life: the iterator may be dropped unfinished, so the GC frees them.
        Arena arena = Arena.ofAuto();
        this.current = arena.allocate(Math.max(1, keySize), 8);
        this.next = arena.allocate(Math.max(1, keySize), 8);
    }

    @Override
    public boolean hasNext() {
        if (pending == null && !finished) {
            advance();
        }
        return pending != null;
    }

    @Override
    public byte[] next() {
        if (!hasNext()) {
            throw new NoSuchElementException("no more keys");
        }
        byte[] key = pending;
        pending = null;
        return key;
    }

    private void advance() {
        while (true) {
            if (!elements.nextKey(started ? current : MemorySegment.NULL, next)) {
                finished = true;
                return;
            }
            started = true;
            MemorySegment.copy(next, 0, current, 0, keySize);
            byte[] key = next.asSlice(0, keySize).toArray(ValueLayout.JAVA_BYTE);
            if (yielded.add(ByteBuffer.wrap(key))) {
                if (yielded.size() > maxKeys) {
                    throw overrun();
                }
                onYieldedKey = false;
                pending = key;
                return;
            }
            // A key already yielded: the kernel restarted from its first key because ours went away.
            if (!onYieldedKey && ++restarts > maxRestarts) {
                throw overrun();
            }
            onYieldedKey = true;
        }
    }

    private ConcurrentModificationException overrun() {
        return new ConcurrentModificationException(elements.describe() + " changed faster than its key walk could go ("
                + yielded.size() + " keys, " + restarts + " restarts; at most " + maxKeys + " and " + maxRestarts
                + "): walk it again, or pause its writers");
    }
}
