package dev.bpfglobals.cli;

import dev.bpfglobals.runtime.BpfMap;
import dev.bpfglobals.runtime.PerCpuSnapshot;
import dev.bpfglobals.runtime.PossibleCpus;
import dev.bpfglobals.contract.ValueType;
import dev.bpfglobals.runtime.kernel.MapInfo;
import dev.bpfglobals.contract.MapType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A global-section map as {@code dump} reads it, once, for its JSON and its text alike: an ARRAY
 * ({@code .data}, {@code .bss}, {@code .rodata}) or PERCPU_ARRAY ({@code .percpu}) of one entry,
 * its value per possible CPU or once, and the type its BTF gives that value.
 *
 * @param info   the map, as the kernel describes it
 * @param perCpu whether {@code values} holds one value per possible CPU, in {@code cpus}' order
 * @param cpus   the possible CPUs
 * @param values the value's bytes: one per possible CPU for a per-CPU map, else one
 * @param type   the value's type from the map's BTF (a section or a struct); empty without BTF
 */
record DumpedMap(MapInfo info, boolean perCpu, PossibleCpus cpus, List<byte[]> values, Optional<ValueType> type) {

    /**
     * Whether {@code map} holds a global section: an ARRAY or PERCPU_ARRAY of one entry named as a
     * section ({@code .data}, {@code obj.bss}: a {@code .maps} variable's name has no dot) or typed by
     * a DATASEC.
     */
    static boolean isGlobalSection(BpfMap map) {
        MapInfo info = map.info();
        MapType kind = info.type().orElse(null);
        return (kind == MapType.ARRAY || kind == MapType.PERCPU_ARRAY) && info.maxEntries() == 1
                && (info.name().contains(".") || map.valueType().orElse(null) instanceof ValueType.Section);
    }

    /**
     * Reads {@code map}'s one entry.
     *
     * @throws IllegalArgumentException if it is no global-section map, or its BTF types its value as something else
     */
    static DumpedMap read(BpfMap map) {
        MapInfo info = map.info();
        MapType kind = info.type().orElse(null);
        if (kind != MapType.ARRAY && kind != MapType.PERCPU_ARRAY || info.maxEntries() != 1) {
            throw new IllegalArgumentException("map '" + info.name() + "' (id " + info.id() + ") is a " + info.typeName()
                    + " of " + info.maxEntries() + " entries, not a global-section map (an ARRAY or PERCPU_ARRAY of one entry)");
        }
        Optional<ValueType> type = map.valueType();
        if (type.isPresent() && !(type.get() instanceof ValueType.Section || type.get() instanceof ValueType.Struct)) {
            throw new IllegalArgumentException("map '" + info.name() + "' holds a " + type.get().cName()
                    + ", not a section of variables");
        }
        byte[] bytes = map.lookup(0);
        PossibleCpus cpus = PossibleCpus.system();
        if (kind == MapType.ARRAY) {
            return new DumpedMap(info, false, cpus, List.of(bytes), type);
        }
        // The kernel hands out every CPU's copy back to back, each rounded up to 8 bytes.
        int stride = (int) PerCpuSnapshot.slotStride(info.valueSize());
        List<byte[]> values = new ArrayList<>(cpus.count());
        for (int slot = 0; slot < cpus.count(); slot++) {
            values.add(Arrays.copyOfRange(bytes, slot * stride, slot * stride + info.valueSize()));
        }
        return new DumpedMap(info, true, cpus, values, type);
    }

    /**
     * Value {@code index} (a CPU's slot, or 0) decoded by the map's BTF into its variables or fields;
     * without BTF, one field {@code value}: a number if it is 1, 2, 4 or 8 bytes, else its bytes.
     */
    Value.Fields decoded(int index) {
        byte[] bytes = values.get(index);
        ValueType valueType = type.orElseGet(this::untyped);
        Value value = valueType instanceof ValueType.Opaque ? new Value.Bytes(bytes) : new ValueDecoder(bytes).decode(valueType, 0);
        return value instanceof Value.Fields fields ? fields : new Value.Fields(List.of(new Value.Field("value", value)));
    }

    /** The names of the variables or fields that are integers (not {@code _Bool}), which a per-CPU dump totals. */
    List<String> integers() {
        return switch (type.orElseGet(this::untyped)) {
            case ValueType.Section s -> s.variables().stream().filter(v -> integer(v.type())).map(ValueType.Variable::name).toList();
            case ValueType.Struct s -> s.fields().stream().filter(f -> f.bitfieldSize() == 0 && integer(f.type()))
                    .map(ValueType.Field::name).toList();
            case ValueType.Int i -> List.of("value");
            default -> List.of();
        };
    }

    /** Without BTF, a value of an integer's size reads as an unsigned integer (as the kernel's counters are); else as bytes. */
    private ValueType untyped() {
        int size = info.valueSize();
        return size == 1 || size == 2 || size == 4 || size == 8
                ? new ValueType.Int("", size, false, false, 0, size * 8) : new ValueType.Opaque("", size);
    }

    private static boolean integer(ValueType type) {
        return type instanceof ValueType.Int i && !i.bool();
    }
}
