package dev.bpfglobals.runtime.object;

import dev.bpfglobals.runtime.btf.Btf;
import dev.bpfglobals.runtime.btf.BtfType;
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

    static List<MapSpec> read(Btf btf) {
        Optional<BtfType.Datasec> datasec = btf.datasec(".maps");
        List<MapSpec> maps = new ArrayList<>();
        if (datasec.isEmpty()) {
            return maps;
        }
        for (BtfType.VarSecinfo entry : datasec.get().entries()) {
            BtfType var = btf.type(entry.type());
            if (!(var instanceof BtfType.Var v) || !(btf.type(btf.resolve(v.type())) instanceof BtfType.Struct struct)) {
                throw new BpfFormatException("map '" + var.name() + "' in .maps is not a variable of struct type");
            }
            maps.add(map(btf, v.name(), struct));
        }
        return maps;
    }

    private static MapSpec map(Btf btf, String name, BtfType.Struct struct) {
        int type = 0;
        int keySize = -1;
        int valueSize = -1;
        int keyType = 0;
        int valueType = 0;
        int entries = 0;
        int flags = 0;
        MapSpec.Pinning pinning = MapSpec.Pinning.NONE;
        for (BtfType.Member m : struct.members()) {
            String member = m.name();
            switch (member) {
                case "type" -> type = uint(btf, m.type(), name, member);
                case "max_entries" -> entries = uint(btf, m.type(), name, member);
                case "map_flags" -> flags = uint(btf, m.type(), name, member);
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
                        throw new BpfFormatException("map '" + name + "': pinning " + value + " is neither LIBBPF_PIN_NONE nor LIBBPF_PIN_BY_NAME");
                    }
                    pinning = value == PIN_BY_NAME ? MapSpec.Pinning.BY_NAME : MapSpec.Pinning.NONE;
                }
                default -> throw new BpfFormatException("map '" + name + "': member '" + member + "' is not supported yet "
                        + "(supported: type, key, value, key_size, value_size, max_entries, map_flags, pinning)");
            }
        }
        return new MapSpec(name, type, Math.max(0, keySize), Math.max(0, valueSize), entries, flags, pinning, keyType, valueType);
    }

    /** A size given twice ({@code __type(key, ...)} and {@code __uint(key_size, ...)}) must agree, as libbpf requires. */
    private static int agree(int known, int size, String map, String what) {
        if (known >= 0 && known != size) {
            throw new BpfFormatException("map '" + map + "': " + what + " size given as both " + known + " and " + size);
        }
        return size;
    }

    private static int size(Btf btf, int type, String map, String member) {
        long size = btf.sizeOf(type);
        if (size > Integer.MAX_VALUE) {
            throw new BpfFormatException("map '" + map + "': " + member + " type is " + size + " bytes");
        }
        return (int) size;
    }

    /** {@code __uint(name, n)} is {@code int (*name)[n]}: the array length is the value. */
    private static int uint(Btf btf, int memberType, String map, String member) {
        if (!(btf.type(btf.resolve(pointee(btf, memberType, map, member))) instanceof BtfType.Array array)) {
            throw new BpfFormatException("map '" + map + "': " + member + " is not declared with __uint()");
        }
        return array.length();
    }

    private static int pointee(Btf btf, int memberType, String map, String member) {
        if (!(btf.type(btf.resolve(memberType)) instanceof BtfType.Ptr pointer)) {
            throw new BpfFormatException("map '" + map + "': " + member + " is not a pointer as __uint/__type declare it");
        }
        return pointer.type();
    }
}
