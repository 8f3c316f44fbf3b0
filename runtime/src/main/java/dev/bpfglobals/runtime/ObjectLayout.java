package dev.bpfglobals.runtime;

import dev.bpfglobals.contract.ValueType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The part of a BPF object that typed Java code made from it relies on, as text: one line per global
 * variable (section, offset, C type with every member's offset), per map (type, key and value C
 * types) and per program (section). A generated skeleton records these lines and their hash; opening
 * an object compares the object's own lines with them ({@link #check}), so an object rebuilt with a
 * changed struct, a renamed variable or a moved map is refused before anything is loaded, naming
 * the first difference.
 *
 * <p>Each line is {@code KEY = VALUE}: the key names the item ({@code .data in1}, {@code map
 * counts}, {@code program handler}), the value says what it is.
 */
public final class ObjectLayout {

    /** Deeper than any C type a map or section holds; the BTF reader already bounds nesting. */
    private static final int MAX_DEPTH = 64;

    private ObjectLayout() {
    }

    /**
     * The layout lines of {@code object}, in a stable order: global sections and their variables in
     * the object's order, then maps, then programs.
     *
     * @param object the parsed object
     * @return its layout lines
     */
    public static List<String> lines(ObjectSpec object) {
        List<String> lines = new ArrayList<>();
        for (GlobalSection section : object.globalSections()) {
            lines.add(section.name() + " = " + section.mapType() + " " + section.size() + " bytes");
            ValueType.Section type = object.sectionType(section.name()).orElse(null);
            for (GlobalVariable variable : section.variables()) {
                ValueType variableType = type == null ? null : type.variables().stream()
                        .filter(v -> v.name().equals(variable.name())).findFirst().map(ValueType.Variable::type).orElse(null);
                lines.add(section.name() + " " + variable.name() + " = @" + variable.offset() + " "
                        + (variableType == null ? variable.cType() + " (" + variable.size() + " bytes)" : describe(variableType)));
            }
        }
        for (MapSpec map : object.maps()) {
            lines.add("map " + map.name() + " = " + map.mapType().map(Enum::name).orElse("type " + map.type())
                    + " key " + side(object, map.keyTypeId(), map.keySize())
                    + " value " + side(object, map.valueTypeId(), map.valueSize()));
        }
        for (ProgramSpec program : object.programs()) {
            lines.add("program " + program.name() + " = " + program.section());
        }
        return List.copyOf(lines);
    }

    /**
     * The SHA-256 of {@code lines}, one per line, in hex: what a skeleton compares first.
     *
     * @param lines layout lines, as {@link #lines} gives them
     * @return 64 hex digits
     */
    public static String hash(List<String> lines) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String line : lines) {
                digest.update(line.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) '\n');
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e); // every JDK must have it
        }
    }

    /**
     * Checks that {@code object} has the layout a skeleton was generated from.
     *
     * @param object   the object being opened
     * @param expected the layout lines the skeleton recorded
     * @param hash     their {@link #hash}
     * @param skeleton the skeleton class's name, for the message
     * @throws SkeletonDriftException naming the first difference, in one line, if the layouts differ
     */
    public static void check(ObjectSpec object, List<String> expected, String hash, String skeleton) {
        Objects.requireNonNull(expected, "expected");
        List<String> found = lines(object);
        if (hash(found).equals(hash)) {
            return;
        }
        throw new SkeletonDriftException(skeleton + " was generated from another object: " + firstDifference(expected, found)
                + "; regenerate it with bpf-globals gen skeleton");
    }

    /**
     * The first difference between two sets of layout lines, in the expected lines' order, in words.
     *
     * @param expected the lines a skeleton recorded
     * @param found    the lines of the object being opened
     * @return e.g. {@code map counts: expected ARRAY key __u32 ..., found HASH key __u32 ...}
     */
    public static String firstDifference(List<String> expected, List<String> found) {
        Map<String, String> was = byKey(expected);
        Map<String, String> is = byKey(found);
        // A section's size changes with its variables: name the variable first, the size only if nothing else differs.
        for (boolean sections : new boolean[] {false, true}) {
            for (Map.Entry<String, String> entry : was.entrySet()) {
                if (entry.getKey().contains(" ") == sections) {
                    continue;
                }
                String now = is.get(entry.getKey());
                if (now == null) {
                    return entry.getKey() + ": missing from the object";
                }
                if (!now.equals(entry.getValue())) {
                    return entry.getKey() + ": expected " + entry.getValue() + ", found " + now;
                }
            }
        }
        for (String key : is.keySet()) {
            if (!was.containsKey(key)) {
                return key + ": new in the object";
            }
        }
        return "the order of its sections, maps or programs changed";
    }

    private static Map<String, String> byKey(List<String> lines) {
        Map<String, String> byKey = new LinkedHashMap<>();
        for (String line : lines) {
            int split = line.indexOf(" = ");
            byKey.put(split < 0 ? line : line.substring(0, split), split < 0 ? "" : line.substring(split + 3));
        }
        return byKey;
    }

    private static String side(ObjectSpec object, int typeId, int size) {
        return object.btfType(typeId).map(ObjectLayout::describe).orElse(size + " bytes");
    }

    /**
     * A C type in one line, every member with its bit offset: {@code struct foo {a@0 __u8, b@32 __u32} (16)}.
     *
     * @param type the type
     * @return its description
     */
    public static String describe(ValueType type) {
        StringBuilder out = new StringBuilder();
        describe(type, out, 0);
        return out.toString();
    }

    private static void describe(ValueType type, StringBuilder out, int depth) {
        if (depth > MAX_DEPTH) {
            out.append("...");
            return;
        }
        switch (type) {
            case ValueType.Struct s -> {
                out.append(s.cName()).append(" {");
                for (int i = 0; i < s.fields().size(); i++) {
                    ValueType.Field field = s.fields().get(i);
                    out.append(i == 0 ? "" : ", ").append(field.name()).append('@').append(field.bitOffset());
                    if (field.bitfieldSize() != 0) {
                        out.append(':').append(field.bitfieldSize());
                    }
                    out.append(' ');
                    describe(field.type(), out, depth + 1);
                }
                out.append("} (").append(s.size()).append(')');
            }
            case ValueType.Array a -> {
                describe(a.element(), out, depth + 1);
                out.append('[').append(a.length()).append(']');
            }
            case ValueType.Enum e -> out.append(e.cName()).append(" (").append(e.size()).append(e.signed() ? " signed)" : ")");
            default -> out.append(type.cName()).append(" (").append(type.size()).append(')');
        }
    }
}
