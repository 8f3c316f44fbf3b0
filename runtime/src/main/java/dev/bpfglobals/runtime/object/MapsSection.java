package dev.bpfglobals.runtime.object;

import dev.bpfglobals.runtime.btf.Btf;
import dev.bpfglobals.runtime.btf.BtfType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads BTF-defined maps: each variable of the {@code .maps} DATASEC is a struct of __uint/__type members. */
final class MapsSection {

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
            String name = var.name();
            if (!(var instanceof BtfType.Var v) || !(btf.type(btf.resolve(v.type())) instanceof BtfType.Struct struct)) {
                throw new BpfFormatException("map '" + name + "' in .maps is not a struct");
            }
            int type = 0;
            int key = 0;
            int value = 0;
            int entries = 0;
            int flags = 0;
            for (BtfType.Member m : struct.members()) {
                String member = m.name();
                switch (member) {
                    case "type" -> type = uintValue(btf, m.type(), name, member);
                    case "key_size" -> key = uintValue(btf, m.type(), name, member);
                    case "value_size" -> value = uintValue(btf, m.type(), name, member);
                    case "max_entries" -> entries = uintValue(btf, m.type(), name, member);
                    case "map_flags" -> flags = uintValue(btf, m.type(), name, member);
                    case "key" -> key = (int) btf.sizeOf(pointee(btf, m.type(), name, member));
                    case "value" -> value = (int) btf.sizeOf(pointee(btf, m.type(), name, member));
                    default -> throw new BpfFormatException("map '" + name + "': member '" + member
                            + "' is not supported yet (supported: type, key, value, key_size, value_size, max_entries, map_flags)");
                }
            }
            maps.add(new MapSpec(name, type, key, value, entries, flags));
        }
        return maps;
    }

    /** {@code __uint(name, n)} is {@code int (*name)[n]}: the array length is the value. */
    private static int uintValue(Btf btf, int memberType, String map, String member) {
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
