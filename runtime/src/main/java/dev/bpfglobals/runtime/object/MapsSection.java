package dev.bpfglobals.runtime.object;

import dev.bpfglobals.runtime.btf.BtfTypes;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/** Reads BTF-defined maps: each variable of the {@code .maps} DATASEC is a struct of __uint/__type members. */
final class MapsSection {

    private MapsSection() {
    }

    static List<MapSpec> read(BtfTypes btf) {
        OptionalInt datasec = btf.datasec(".maps");
        List<MapSpec> maps = new ArrayList<>();
        if (datasec.isEmpty()) {
            return maps;
        }
        for (int i = 0; i < btf.vlen(datasec.getAsInt()); i++) {
            int var = btf.entryWord(datasec.getAsInt(), i, 3, 0);
            String name = btf.name(var);
            int struct = btf.resolve(btf.sizeOrType(var));
            if (btf.kind(struct) != BtfTypes.KIND_STRUCT) {
                throw new BpfFormatException("map '" + name + "' in .maps is not a struct");
            }
            int type = 0;
            int key = 0;
            int value = 0;
            int entries = 0;
            int flags = 0;
            for (int m = 0; m < btf.vlen(struct); m++) {
                String member = btf.string(btf.entryWord(struct, m, 3, 0));
                int memberType = btf.entryWord(struct, m, 3, 1);
                switch (member) {
                    case "type" -> type = uintValue(btf, memberType, name, member);
                    case "key_size" -> key = uintValue(btf, memberType, name, member);
                    case "value_size" -> value = uintValue(btf, memberType, name, member);
                    case "max_entries" -> entries = uintValue(btf, memberType, name, member);
                    case "map_flags" -> flags = uintValue(btf, memberType, name, member);
                    case "key" -> key = btf.sizeOf(pointee(btf, memberType, name, member));
                    case "value" -> value = btf.sizeOf(pointee(btf, memberType, name, member));
                    default -> throw new BpfFormatException("map '" + name + "': member '" + member
                            + "' is not supported yet (supported: type, key, value, key_size, value_size, max_entries, map_flags)");
                }
            }
            maps.add(new MapSpec(name, type, key, value, entries, flags));
        }
        return maps;
    }

    /** {@code __uint(name, n)} is {@code int (*name)[n]}: the array length is the value. */
    private static int uintValue(BtfTypes btf, int memberType, String map, String member) {
        int array = btf.resolve(pointee(btf, memberType, map, member));
        if (btf.kind(array) != BtfTypes.KIND_ARRAY) {
            throw new BpfFormatException("map '" + map + "': " + member + " is not declared with __uint()");
        }
        return btf.arrayLength(array);
    }

    private static int pointee(BtfTypes btf, int memberType, String map, String member) {
        int pointer = btf.resolve(memberType);
        if (btf.kind(pointer) != BtfTypes.KIND_PTR) {
            throw new BpfFormatException("map '" + map + "': " + member + " is not a pointer as __uint/__type declare it");
        }
        return btf.sizeOrType(pointer);
    }
}
