package dev.bpfglobals.runtime;

import dev.bpfglobals.runtime.internal.MapCommands;
import dev.bpfglobals.runtime.kernel.BpfCommand;
import dev.bpfglobals.runtime.kernel.BpfException;
import dev.bpfglobals.runtime.kernel.Errno;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whole-map and many-element operations of one {@link BpfMap} by the batch commands
 * (BPF_MAP_LOOKUP_BATCH, LOOKUP_AND_DELETE_BATCH, UPDATE_BATCH, DELETE_BATCH; kernel 5.6+), one
 * system call per chunk, as libbpf's {@code bpf_map_*_batch} and cilium/ebpf's {@code BatchLookup}.
 *
 * <p><b>The fallback.</b> Where the kernel answers ENOTSUPP (this map type has no such batch
 * operation: QUEUE, STACK, BLOOM_FILTER, DELETE or LOOKUP_AND_DELETE on an ARRAY) the same work is
 * done one element at a time, and that map type and command are remembered so the next call goes
 * straight there. EINVAL before any element was handled (what a kernel older than 5.6 answers for
 * a command it does not know) sends that one call the per-element way, not remembered, since an
 * element the kernel refuses can answer EINVAL too; so it goes for {@link #updateAll} under
 * {@link UpdateFlag#NOEXIST} or {@link UpdateFlag#EXIST}, which the kernel's UPDATE_BATCH refuses
 * (it takes only BPF_F_LOCK in {@code elem_flags}; measured on 6.18). Any other errno is the answer
 * and is thrown.
 * Each result says which {@link Path} it took.
 */
public final class MapBatches {

    /** How a batch operation was carried out. */
    public enum Path {
        /** By the kernel's batch commands. */
        BATCH_COMMANDS,
        /** One element command per element, where the kernel has no batch command for this map. */
        PER_ELEMENT
    }

    /**
     * The elements read, and how.
     *
     * @param entries the elements, in the order the kernel walked them
     * @param path whether the batch commands read them or one lookup per element did
     */
    public record Read(List<MapEntry> entries, Path path) {
    }

    /**
     * How many elements a write handled (all of them, or it throws), and how.
     *
     * @param count how many elements were written or deleted
     * @param path whether the batch commands wrote them or one command per element did
     */
    public record Written(int count, Path path) {
    }

    /** "type:command" pairs the kernel answered without a batch operation. */
    private static final Set<String> UNSUPPORTED = ConcurrentHashMap.newKeySet();
    /** Elements asked for per lookup call; a HASH answers ENOSPC when a bucket holds more, and then this doubles. */
    private static final int FIRST_CHUNK = 256;

    private final BpfMap map;
    private final MapElements elements;

    MapBatches(BpfMap map, MapElements elements) {
        this.map = map;
        this.elements = elements;
        elements.requireKeys("read in batches");
    }

    /**
     * Every element of the map (BPF_MAP_LOOKUP_BATCH); elements changed meanwhile may or may not be in it.
     *
     * @return the elements, and whether the batch commands read them
     */
    public Read lookupAll() {
        return lookupAll(BpfCommand.BPF_MAP_LOOKUP_BATCH);
    }

    /**
     * Every element of the map, each removed as it is read (BPF_MAP_LOOKUP_AND_DELETE_BATCH).
     *
     * @return the elements removed, and whether the batch commands read them
     */
    public Read lookupAndDeleteAll() {
        return lookupAll(BpfCommand.BPF_MAP_LOOKUP_AND_DELETE_BATCH);
    }

    /**
     * Writes {@code entries} in order under {@code flag} (BPF_MAP_UPDATE_BATCH).
     *
     * @param entries the elements to write, each key and value of the map's sizes
     * @param flag whether each update may create the element, replace it, or both
     * @return how many elements were written (all of them), and whether the batch command wrote them
     * @throws BpfException at the first element the kernel refuses (EEXIST, ENOENT, E2BIG as for one
     *                      update), saying how many were written before it
     */
    public Written updateAll(List<MapEntry> entries, UpdateFlag flag) {
        return write(BpfCommand.BPF_MAP_UPDATE_BATCH, entries, flag);
    }

    /**
     * Deletes the elements under {@code keys} (BPF_MAP_DELETE_BATCH).
     *
     * @param keys the keys to delete, each of the map's key size
     * @return how many elements were deleted (all of them), and whether the batch command deleted them
     * @throws BpfException ENOENT at the first key that is not in the map, saying how many were deleted before it
     */
    public Written deleteAll(List<byte[]> keys) {
        return write(BpfCommand.BPF_MAP_DELETE_BATCH, keys.stream().map(k -> new MapEntry(k, null)).toList(), UpdateFlag.ANY);
    }

    private Read lookupAll(BpfCommand command) {
        if (!UNSUPPORTED.contains(pair(command))) {
            Optional<List<MapEntry>> read = lookupBatches(command);
            if (read.isPresent()) {
                return new Read(read.get(), Path.BATCH_COMMANDS);
            }
        }
        return new Read(lookupPerElement(command == BpfCommand.BPF_MAP_LOOKUP_AND_DELETE_BATCH), Path.PER_ELEMENT);
    }

    /** The batch path: empty when the kernel has no such batch command for this map. */
    private Optional<List<MapEntry>> lookupBatches(BpfCommand command) {
        int keySize = map.info().keySize();
        long valueSize = map.valueBytes();
        int chunk = Math.clamp(map.info().maxEntries(), 1, FIRST_CHUNK);
        List<MapEntry> entries = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            // Cursors: a HASH's is a 4-byte bucket index, an ARRAY's a key.
            MemorySegment in = arena.allocate(Math.max(8, keySize), 8);
            MemorySegment out = arena.allocate(Math.max(8, keySize), 8);
            MemorySegment count = arena.allocate(ValueLayout.JAVA_INT);
            MemorySegment keys = arena.allocate((long) chunk * keySize, 8);
            MemorySegment values = arena.allocate(chunk * valueSize, 8);
            boolean first = true;
            while (true) {
                count.set(ValueLayout.JAVA_INT, 0, chunk);
                long result = MapCommands.batchRaw(command, map.fd(), first ? MemorySegment.NULL : in, out, keys, values,
                        count, 0);
                int handled = count.get(ValueLayout.JAVA_INT, 0);
                if (result < 0 && result != -Errno.ENOENT.number()) {
                    if (first && handled == 0 && noBatchCommand(command, result)) {
                        return Optional.empty();
                    }
                    if (result == -Errno.ENOSPC.number() && handled == 0) {
                        chunk *= 2; // a bucket holds more elements than we asked for
                        keys = arena.allocate((long) chunk * keySize, 8);
                        values = arena.allocate(chunk * valueSize, 8);
                        continue;
                    }
                    throw elements.refusal(command, result, UpdateFlag.ANY);
                }
                for (int i = 0; i < handled; i++) {
                    entries.add(new MapEntry(keys.asSlice((long) i * keySize, keySize).toArray(ValueLayout.JAVA_BYTE),
                            values.asSlice(i * valueSize, valueSize).toArray(ValueLayout.JAVA_BYTE)));
                }
                if (result == -Errno.ENOENT.number()) {
                    return Optional.of(entries); // no elements after these
                }
                MemorySegment.copy(out, 0, in, 0, in.byteSize());
                first = false;
            }
        }
    }

    /** The per-element path of {@link #lookupAll()} and {@link #lookupAndDeleteAll()}. */
    List<MapEntry> lookupPerElement(boolean delete) {
        List<MapEntry> entries = new ArrayList<>();
        for (byte[] key : map.keys()) {
            Optional<byte[]> value = delete ? elements.lookupAndDelete(key) : elements.lookup(key);
            value.ifPresent(v -> entries.add(new MapEntry(key, v)));
        }
        return entries;
    }

    private Written write(BpfCommand command, List<MapEntry> entries, UpdateFlag flag) {
        if (entries.isEmpty()) {
            return new Written(0, UNSUPPORTED.contains(pair(command)) ? Path.PER_ELEMENT : Path.BATCH_COMMANDS);
        }
        if (!UNSUPPORTED.contains(pair(command))) {
            int keySize = map.info().keySize();
            long valueSize = map.valueBytes();
            boolean update = command == BpfCommand.BPF_MAP_UPDATE_BATCH;
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment keys = arena.allocate((long) entries.size() * keySize, 8);
                MemorySegment values = update ? arena.allocate(entries.size() * valueSize, 8) : MemorySegment.NULL;
                for (int i = 0; i < entries.size(); i++) {
                    MemorySegment.copy(elements.keySegment(arena, entries.get(i).key()), 0, keys, (long) i * keySize, keySize);
                    if (update) {
                        elements.checkValueLength(entries.get(i).value());
                        MemorySegment.copy(entries.get(i).value(), 0, values, ValueLayout.JAVA_BYTE, i * valueSize,
                                (int) valueSize);
                    }
                }
                MemorySegment count = arena.allocateFrom(ValueLayout.JAVA_INT, entries.size());
                long result = MapCommands.batchRaw(command, map.fd(), MemorySegment.NULL, MemorySegment.NULL, keys, values,
                        count, flag.kernelValue());
                int handled = count.get(ValueLayout.JAVA_INT, 0);
                if (result >= 0) {
                    return new Written(handled, Path.BATCH_COMMANDS);
                }
                if (!(handled == 0 && noBatchCommand(command, result))) {
                    throw partial(elements.refusal(command, result, flag), handled, entries.size());
                }
            }
        }
        return new Written(writePerElement(command, entries, flag), Path.PER_ELEMENT);
    }

    /** The per-element path of {@link #updateAll} and {@link #deleteAll}: each element by its own command. */
    int writePerElement(BpfCommand batchCommand, List<MapEntry> entries, UpdateFlag flag) {
        for (int i = 0; i < entries.size(); i++) {
            try {
                if (batchCommand == BpfCommand.BPF_MAP_UPDATE_BATCH) {
                    elements.update(entries.get(i).key(), entries.get(i).value(), flag);
                } else if (!elements.delete(entries.get(i).key())) {
                    throw new BpfException(BpfCommand.BPF_MAP_DELETE_ELEM, Errno.ENOENT, elements.describe());
                }
            } catch (BpfException e) {
                throw partial(e, i, entries.size());
            }
        }
        return entries.size();
    }

    private BpfException partial(BpfException cause, int done, int total) {
        BpfException e = new BpfException(cause.command(), cause.errno(), elements.describe(), "element " + done + " of "
                + total + " was refused, after " + done + " were done: " + cause.getMessage());
        e.initCause(cause);
        return e;
    }

    /**
     * Whether {@code result} says the kernel has no such batch command for this map. ENOTSUPP is
     * the kernel's own word for "this map type has none" and is remembered; EINVAL (an older kernel
     * not knowing the command, or an element it refuses) only sends this one call down the
     * per-element path, which then throws if an element was at fault.
     */
    private boolean noBatchCommand(BpfCommand command, long result) {
        if (result == -Errno.ENOTSUPP.number() || result == -Errno.EOPNOTSUPP.number()) {
            UNSUPPORTED.add(pair(command));
            return true;
        }
        return result == -Errno.EINVAL.number();
    }

    private String pair(BpfCommand command) {
        return map.info().typeName() + ":" + command;
    }
}
