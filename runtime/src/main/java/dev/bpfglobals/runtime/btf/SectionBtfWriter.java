package dev.bpfglobals.runtime.btf;

import dev.bpfglobals.contract.SectionContract;
import dev.bpfglobals.contract.VariableContract;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Encodes the BTF of one global-data section as libbpf gives its map: a DATASEC of VARs whose types
 * are built from the contract's C types, so that {@code bpftool map dump} prints every variable by
 * name and {@link Btf#cName} reads each C type back as the contract spells it.
 *
 * <p>Integers are typedefs ({@code __u32}) of C integer types, as clang emits them; arrays index
 * with {@code __ARRAY_SIZE_TYPE__}. A contract lists no members of structs and no constants of
 * enums, so a {@code struct tag} becomes a struct of that tag and size holding one
 * {@code __u8 __opaque[size]} member, and an {@code enum tag} a 4-byte enum with no constants. An
 * anonymous struct or enum ({@link Btf#cName} spells it {@code struct <anonymous>}) stays anonymous:
 * the kernel checks every name as a C identifier and refuses {@code <anonymous>}. C
 * types the processor never writes (and the empty C type of a layout read from symbols) become
 * {@code __u8[size]}.
 */
public final class SectionBtfWriter {

    /** How {@link Btf#cName} spells a missing tag. */
    private static final String ANONYMOUS = "<anonymous>";
    private static final Pattern ARRAY = Pattern.compile("(.+)\\[(\\d+)]");
    private static final Map<String, BtfType.Int> INTEGERS = Map.of(
            "__u8", BtfType.Int.of("unsigned char", 1, false),
            "__s8", BtfType.Int.of("signed char", 1, true),
            "__u16", BtfType.Int.of("unsigned short", 2, false),
            "__s16", BtfType.Int.of("short", 2, true),
            "__u32", BtfType.Int.of("unsigned int", 4, false),
            "__s32", BtfType.Int.of("int", 4, true),
            "__u64", BtfType.Int.of("unsigned long long", 8, false),
            "__s64", BtfType.Int.of("long long", 8, true));

    private final BtfBuilder builder = new BtfBuilder();
    private final Map<String, Integer> ids = new HashMap<>();
    private final Map<Integer, Integer> sizes = new HashMap<>();

    /**
     * The encoded BTF with the map's key type (a {@code __u32}: the kernel allows a keyless BTF only
     * for plain ARRAY maps) and value type (the section's DATASEC).
     */
    public record Encoded(byte[] bytes, int keyTypeId, int datasecId) {
    }

    private SectionBtfWriter() {
    }

    /** The model: a DATASEC named after {@code section} holding one VAR per variable, with its key type. */
    public static Built build(SectionContract section) {
        SectionBtfWriter writer = new SectionBtfWriter();
        int key = writer.typeOf("__u32", 4);
        List<BtfType.VarSecinfo> entries = new ArrayList<>();
        for (VariableContract variable : section.variables()) {
            int type = writer.typeOf(variable.cType(), variable.size());
            if (writer.sizes.get(type) != variable.size()) {
                // The C type disagrees with the variable's size: keep the size, which the map's value depends on.
                type = writer.bytes(variable.size());
            }
            int var = writer.builder.add(new BtfType.Var(variable.name(), type, BtfType.Linkage.GLOBAL));
            entries.add(new BtfType.VarSecinfo(var, variable.offset(), variable.size()));
        }
        int datasec = writer.builder.add(new BtfType.Datasec(section.name(), section.valueSize(), entries));
        return new Built(writer.builder.build(), key, datasec);
    }

    /** BTF with a DATASEC named after {@code section} holding one VAR per variable, in the host's byte order. */
    public static Encoded encode(SectionContract section) {
        Built built = build(section);
        return new Encoded(BtfWriter.write(built.btf(), ByteOrder.nativeOrder()), built.keyTypeId(), built.datasecId());
    }

    /** The model behind {@link Encoded}: the types, the key's id and the DATASEC's id. */
    public record Built(Btf btf, int keyTypeId, int datasecId) {
    }

    private int typeOf(String cType, int size) {
        // Every anonymous type is its own type: two of them share the spelling, not the size.
        boolean anonymous = cType.contains(ANONYMOUS);
        Integer known = anonymous ? null : ids.get(cType);
        if (known != null) {
            return known;
        }
        int id;
        Matcher array = ARRAY.matcher(cType);
        BtfType.Int integer = INTEGERS.get(cType);
        if (array.matches() && isSaneLength(array.group(2), size)) {
            int length = Integer.parseInt(array.group(2));
            int element = typeOf(array.group(1), size / length);
            id = builder.add(new BtfType.Array(element, arraySizeType(), length));
            size = (int) Math.min(Integer.MAX_VALUE, (long) length * sizes.get(element));
        } else if (integer != null) {
            id = builder.add(new BtfType.Typedef(cType, builder.add(integer)));
            size = integer.size();
        } else if (cType.equals("_Bool")) {
            id = builder.add(new BtfType.Int("_Bool", 1, BtfType.Int.BOOL, 0, 8));
            size = 1;
        } else if (cType.startsWith("struct ") && cType.length() > 7) {
            id = builder.add(new BtfType.Struct(tag(cType.substring(7)), size,
                    List.of(new BtfType.Member("__opaque", bytes(size), 0, 0))));
        } else if (cType.startsWith("enum ") && cType.length() > 5 && size == 4) {
            id = builder.add(new BtfType.Enum(tag(cType.substring(5)), 4, false, List.of()));
        } else {
            // Unknown spelling: describe the bytes, so the variable keeps its name, offset and size.
            return bytes(size);
        }
        if (!anonymous) {
            ids.put(cType, id);
        }
        sizes.put(id, size);
        return id;
    }

    /** The BTF name of a tag: none (name_off 0) for an anonymous type. */
    private static String tag(String spelled) {
        return spelled.equals(ANONYMOUS) ? "" : spelled;
    }

    /** {@code __u8[size]}. */
    private int bytes(int size) {
        int id = builder.add(new BtfType.Array(typeOf("__u8", 1), arraySizeType(), size));
        sizes.put(id, size);
        return id;
    }

    private static boolean isSaneLength(String digits, int size) {
        return digits.length() < 10 && Integer.parseInt(digits) > 0 && size % Integer.parseInt(digits) == 0;
    }

    private int arraySizeType() {
        return ids.computeIfAbsent("__ARRAY_SIZE_TYPE__",
                name -> builder.add(BtfType.Int.of(name, 4, false)));
    }
}
