package dev.bpfglobals.cli;

import dev.bpfglobals.contract.MapType;
import dev.bpfglobals.contract.ValueType;
import dev.bpfglobals.runtime.BpfMap;
import dev.bpfglobals.runtime.MapEntry;
import dev.bpfglobals.runtime.PerCpuSnapshot;
import dev.bpfglobals.runtime.PossibleCpus;
import dev.bpfglobals.runtime.kernel.MapInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every entry of a map with keys (hash, array, per-CPU, LRU, LPM trie, map of maps, program array), as
 * {@code dump} reads it once for its JSON ({@link EntriesJson}) and its text ({@link EntriesText})
 * alike: keys and values decoded by the map's BTF, else as unsigned numbers when 1, 2, 4 or 8
 * bytes long and as hex otherwise; a per-CPU value once per possible CPU. Entries come sorted by
 * key (numbers by value, structs field by field, arrays item by item), so that two dumps of a hash compare.
 * A program array's lookup answers a filled slot with its program's id and an empty one with ENOENT,
 * which the entry walk skips: its entries are its filled slots, as bpftool's {@code map dump} shows them.
 *
 * @param info    the map, as the kernel describes it
 * @param perCpu  whether each entry holds one value per possible CPU, in {@code cpus}' order
 * @param cpus    the possible CPUs
 * @param entries the entries
 */
record DumpedEntries(MapInfo info, boolean perCpu, PossibleCpus cpus, List<Entry> entries) {

    /**
     * Maps whose elements cannot be read without taking them out, or have no lookup from user space,
     * each with what reads them instead.
     */
    private static final Map<MapType, String> UNREADABLE = Map.of(
            MapType.QUEUE, "peek its head with the Java API's BpfMap.queue().peek()",
            MapType.STACK, "peek its top with the Java API's BpfMap.queue().peek()",
            MapType.BLOOM_FILTER, "ask whether it may hold a value with the Java API's BpfMap.bloomFilter().mightContain(...)",
            MapType.RINGBUF, "read its events with the Java API's RingBufferReader.openPinned(...)",
            MapType.USER_RINGBUF, "it is written from user space, with the Java API's UserRingBufferWriter",
            MapType.PERF_EVENT_ARRAY, "read its events with the Java API's PerfBufferReader.of(...)");

    /** One entry: its key and its value (or each CPU's), decoded. */
    record Entry(Value key, List<Value> values) {
    }

    /**
     * Reads every entry of {@code map}.
     *
     * @throws IllegalArgumentException for a map whose elements cannot be read as entries (a queue, a ring buffer)
     */
    static DumpedEntries read(BpfMap map) {
        MapInfo info = map.info();
        MapType kind = info.type().orElse(null);
        if (kind == null || UNREADABLE.containsKey(kind) || info.keySize() == 0) {
            String instead = kind == null ? "" : UNREADABLE.getOrDefault(kind, "");
            throw new IllegalArgumentException("map '" + info.name() + "' (id " + info.id() + ") is a " + info.typeName()
                    + ", whose elements have no keys to walk or cannot be read without taking them out; dump reads maps"
                    + " with keys (hash, array, per-CPU, LRU, LPM trie, map of maps, program array)"
                    + (instead.isEmpty() ? "" : "; " + instead));
        }
        boolean perCpu = kind.isPerCpu();
        PossibleCpus cpus = PossibleCpus.system();
        ValueType keyType = map.keyType().orElseGet(() -> untyped(info.keySize()));
        ValueType valueType = map.valueType().orElseGet(() -> untyped(info.valueSize()));
        List<Entry> entries = new ArrayList<>();
        for (MapEntry entry : map.entries()) {
            List<Value> values = new ArrayList<>();
            int stride = perCpu ? (int) PerCpuSnapshot.slotStride(info.valueSize()) : info.valueSize();
            for (int slot = 0; slot < (perCpu ? cpus.count() : 1); slot++) {
                values.add(decode(valueType, Arrays.copyOfRange(entry.value(), slot * stride, slot * stride + info.valueSize())));
            }
            entries.add(new Entry(decode(keyType, entry.key()), values));
        }
        entries.sort(Comparator.comparing(Entry::key, DumpedEntries::compare));
        return new DumpedEntries(info, perCpu, cpus, entries);
    }

    private static Value decode(ValueType type, byte[] bytes) {
        return type instanceof ValueType.Opaque ? new Value.Bytes(bytes) : new ValueDecoder(bytes).decode(type, 0);
    }

    /** Without BTF, bytes of an integer's size read as an unsigned integer (ids, counters, indexes); others as bytes. */
    private static ValueType untyped(int size) {
        return size == 1 || size == 2 || size == 4 || size == 8
                ? new ValueType.Int("", size, false, false, 0, size * 8) : new ValueType.Opaque("", size);
    }

    /** Keys in order: numbers by value, booleans false first, fields and items in turn, anything else by its text. */
    private static int compare(Value left, Value right) {
        return switch (left) {
            case Value.Whole l when right instanceof Value.Whole r -> l.value().compareTo(r.value());
            case Value.Bool l when right instanceof Value.Bool r -> Boolean.compare(l.value(), r.value());
            case Value.Fields l when right instanceof Value.Fields r ->
                    compareAll(l.fields().stream().map(Value.Field::value).toList(), r.fields().stream().map(Value.Field::value).toList());
            case Value.Items l when right instanceof Value.Items r -> compareAll(l.items(), r.items());
            default -> ValueText.of(left).compareTo(ValueText.of(right));
        };
    }

    private static int compareAll(List<Value> left, List<Value> right) {
        for (int i = 0; i < Math.min(left.size(), right.size()); i++) {
            int order = compare(left.get(i), right.get(i));
            if (order != 0) {
                return order;
            }
        }
        return Integer.compare(left.size(), right.size());
    }
}
