package dev.bpfglobals.runtime.internal.loader;

import dev.bpfglobals.contract.MapType;
import dev.bpfglobals.runtime.btf.Btf;
import dev.bpfglobals.runtime.btf.BtfType;
import dev.bpfglobals.runtime.elf.ElfFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads BTF-defined maps: each variable of the {@code .maps} DATASEC is a struct whose members
 * say what the map is, {@code __uint(name, n)} as {@code int (*name)[n]} and
 * {@code __type(name, T)} as {@code T *name}, as libbpf's {@code bpf_helpers.h} declares them.
 */
final class MapsSection {

    private static final int PIN_BY_NAME = 1;

    private MapsSection() {
    }

    static List<MapDefinition> read(Btf btf, ElfFile elf) {
        Optional<BtfType.Datasec> datasec = btf.datasec(".maps");
        List<MapDefinition> maps = new ArrayList<>();
        if (datasec.isEmpty()) {
            return maps;
        }
        List<MapSlots.Declared> declared = new ArrayList<>();
        for (BtfType.VarSecinfo entry : datasec.get().entries()) {
            BtfType var = btf.type(entry.type());
            if (!(var instanceof BtfType.Var v) || !(btf.type(btf.resolve(v.type())) instanceof BtfType.Struct struct)) {
                throw new ObjectFormatException("map '" + var.name() + "' in .maps is not a variable of struct type");
            }
            MapDefinition map = map(btf, v.name(), struct, false);
            maps.add(map);
            valuesOffset(struct).ifPresent(at -> declared.add(new MapSlots.Declared(map, entry.offset() + at,
                    entry.offset() + entry.size())));
        }
        return declared.isEmpty() ? maps : MapSlots.resolve(maps, declared, elf);
    }

    /** The byte offset of the {@code values} member in a map definition, where it has one. */
    private static Optional<Integer> valuesOffset(BtfType.Struct struct) {
        return struct.members().stream().filter(m -> m.name().equals("values")).findFirst().map(m -> m.bitOffset() / 8);
    }

    private static MapDefinition map(Btf btf, String name, BtfType.Struct struct, boolean isInner) {
        MapDefinition inner = null;
        int type = 0;
        int keySize = -1;
        int valueSize = -1;
        int keyType = 0;
        int valueType = 0;
        int entries = 0;
        int flags = 0;
        long mapExtra = 0;
        boolean pinnedByName = false;
        boolean programSlots = false;
        for (BtfType.Member m : struct.members()) {
            String member = m.name();
            switch (member) {
                case "type" -> type = uint(btf, m.type(), name, member);
                case "max_entries" -> entries = uint(btf, m.type(), name, member);
                case "map_flags" -> flags = uint(btf, m.type(), name, member);
                case "map_extra" -> mapExtra = ulong(btf, m.type(), name, member);
                case "key_size" -> keySize = agree(keySize, uint(btf, m.type(), name, member), name, "key");
                case "value_size" -> valueSize = agree(valueSize, uint(btf, m.type(), name, member), name, "value");
                case "key" -> {
                    keyType = pointee(btf, m.type(), name, member);
                    keySize = agree(keySize, size(btf, keyType, name, member), name, "key");
                }
                case "value" -> {
                    valueType = pointee(btf, m.type(), name, member);
                    valueSize = agree(valueSize, size(btf, valueType, name, member), name, "value");
                }
                case "pinning" -> {
                    int value = uint(btf, m.type(), name, member);
                    if (value > PIN_BY_NAME) {
                        throw new ObjectFormatException("map '" + name + "': pinning " + value + " is neither LIBBPF_PIN_NONE nor LIBBPF_PIN_BY_NAME");
                    }
                    pinnedByName = value == PIN_BY_NAME;
                }
                case "values" -> {
                    if (type == MapType.PROG_ARRAY.kernelValue()) {
                        requireProgramSlots(btf, name, m);
                        programSlots = true;
                    } else {
                        inner = inner(btf, name, type, m, isInner);
                    }
                }
                default -> throw new ObjectFormatException("map '" + name + "': member '" + member + "' is not supported yet "
                        + "(supported: type, key, value, key_size, value_size, max_entries, map_flags, map_extra, pinning, values)");
            }
        }
        if (inner != null || programSlots) {
            // The kernel's map-of-maps and PROG_ARRAY value is an fd (4 bytes), as libbpf sets it.
            valueSize = agree(valueSize, 4, name, "value");
        }
        return new MapDefinition(name, type, Math.max(0, keySize), Math.max(0, valueSize), entries, flags, mapExtra, pinnedByName, keyType, valueType,
                inner, null);
    }

    /**
     * {@code __array(values, struct { ... })} is {@code struct { ... } *values[]}: for a map of
     * maps the struct is the inner map's definition, from which the template inner map is made.
     */
    private static MapDefinition inner(Btf btf, String name, int type, BtfType.Member m, boolean isInner) {
        if (isInner) {
            throw new ObjectFormatException("map '" + name + "': its inner map declares values of its own (a map of maps of "
                    + "maps), which libbpf does not support either; declare the inner map without __array(values, ...)");
        }
        if (type != MapType.ARRAY_OF_MAPS.kernelValue() && type != MapType.HASH_OF_MAPS.kernelValue()) {
            throw new ObjectFormatException("map '" + name + "': __array(values, ...) is supported only on BPF_MAP_TYPE_ARRAY_OF_MAPS "
                    + "and BPF_MAP_TYPE_HASH_OF_MAPS, and as program slots on BPF_MAP_TYPE_PROG_ARRAY (type " + type
                    + " given; declare 'type' before 'values')");
        }
        if (!(btf.type(btf.resolve(m.type())) instanceof BtfType.Array array)
                || !(btf.type(btf.resolve(array.elementType())) instanceof BtfType.Ptr pointer)
                || !(btf.type(btf.resolve(pointer.type())) instanceof BtfType.Struct struct)) {
            throw new ObjectFormatException("map '" + name + "': values is not declared as __array(values, struct { ... })");
        }
        MapDefinition inner = map(btf, name + ".inner", struct, true);
        // No max_entries is left to the kernel, as libbpf leaves it: local-storage templates need 0.
        if (inner.type() == 0) {
            throw new ObjectFormatException("map '" + name + "': its inner map definition has no type, which the kernel needs to "
                    + "make the template inner map; add __uint(type, BPF_MAP_TYPE_...) inside __array(values, struct { ... })");
        }
        return inner;
    }

    /**
     * A PROG_ARRAY's {@code __array(values, int (void *))} is an array of pointers to functions:
     * its slots name the tail programs, which the loader puts there once they are loaded.
     */
    private static void requireProgramSlots(Btf btf, String name, BtfType.Member m) {
        if (!(btf.type(btf.resolve(m.type())) instanceof BtfType.Array array)
                || !(btf.type(btf.resolve(array.elementType())) instanceof BtfType.Ptr pointer)
                || !(btf.type(btf.resolve(pointer.type())) instanceof BtfType.FuncProto)) {
            throw new ObjectFormatException("map '" + name + "': a PROG_ARRAY's values must be declared as "
                    + "__array(values, int (void *)), an array of program pointers");
        }
    }

    /** A size given twice ({@code __type(key, ...)} and {@code __uint(key_size, ...)}) must agree, as libbpf requires. */
    private static int agree(int known, int size, String map, String what) {
        if (known >= 0 && known != size) {
            throw new ObjectFormatException("map '" + map + "': " + what + " size given as both " + known + " and " + size);
        }
        return size;
    }

    private static int size(Btf btf, int type, String map, String member) {
        long size = btf.sizeOf(type);
        if (size > Integer.MAX_VALUE) {
            throw new ObjectFormatException("map '" + map + "': " + member + " type is " + size + " bytes");
        }
        return (int) size;
    }

    /** {@code __uint(name, n)} is {@code int (*name)[n]}: the array length is the value. */
    private static int uint(Btf btf, int memberType, String map, String member) {
        if (!(btf.type(btf.resolve(pointee(btf, memberType, map, member))) instanceof BtfType.Array array)) {
            throw new ObjectFormatException("map '" + map + "': " + member + " is not declared with __uint()");
        }
        return array.length();
    }

    /**
     * {@code map_extra} as {@code __uint(name, n)}, or as libbpf's {@code __ulong(name, n)}: a member whose
     * type is an enum of one value, ENUM64 where the value needs 64 bits (an arena's user address, e.g.
     * {@code 1ull << 44}), as libbpf's {@code get_map_field_long} reads it.
     */
    private static long ulong(Btf btf, int memberType, String map, String member) {
        BtfType type = btf.type(btf.resolve(memberType));
        if (type instanceof BtfType.Enum64 e && e.values().size() == 1) {
            return e.values().getFirst().value();
        }
        if (type instanceof BtfType.Enum e && e.values().size() == 1) {
            return Integer.toUnsignedLong(e.values().getFirst().value());
        }
        if (type instanceof BtfType.Enum || type instanceof BtfType.Enum64) {
            throw new ObjectFormatException("map '" + map + "': " + member + " is an enum of more than one value, "
                    + "not a __ulong(" + member + ", value)");
        }
        return Integer.toUnsignedLong(uint(btf, memberType, map, member));
    }

    private static int pointee(Btf btf, int memberType, String map, String member) {
        if (!(btf.type(btf.resolve(memberType)) instanceof BtfType.Ptr pointer)) {
            throw new ObjectFormatException("map '" + map + "': " + member + " is not a pointer as __uint/__type declare it");
        }
        return pointer.type();
    }
}
