package dev.bpfglobals.processor.generate;

import dev.bpfglobals.processor.layout.CType;
import dev.bpfglobals.processor.model.CNames;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The enums and structs a header defines, innermost first, each once, every struct with static
 * assertions of its size and offsets. A {@code @BpfStruct} record's struct, and the types inside
 * it, have the same tag and definition in every header that uses them (its own, and those of
 * records with a component of its type), so each is defined under an include guard of its own:
 * a program may include several such headers.
 */
final class NamedTypes {

    private NamedTypes() {
    }

    /** One type to define, and whether it belongs to a shared {@code @BpfStruct}. */
    private record Named(CType type, boolean shared) {
    }

    /** Defines the enums and structs {@code roots} use (and the roots that are structs). */
    static void append(StringBuilder out, Stream<CType> roots) {
        Map<String, Named> named = new LinkedHashMap<>();
        roots.forEach(type -> collect(type, false, named));
        for (Named entry : named.values()) {
            String guard = null;
            if (entry.shared()) {
                guard = "BPF_GLOBALS_" + (entry.type() instanceof CType.Enum ? "ENUM_" : "STRUCT_")
                        + tag(entry.type()).toUpperCase(Locale.ROOT);
                out.append("#ifndef ").append(guard).append("\n#define ").append(guard).append("\n");
            }
            if (entry.type() instanceof CType.Enum e) {
                out.append("/* Java enum ").append(e.javaName()).append(": values are the constants' ordinals. */\n")
                   .append("enum ").append(e.tag()).append(" {\n");
                for (int i = 0; i < e.constants().size(); i++) {
                    out.append("\t").append(CNames.enumConstant(e, e.constants().get(i)))
                       .append(" = ").append(i).append(",\n");
                }
                out.append("};\n");
                out.append(guard == null ? "\n" : "");
            } else if (entry.type() instanceof CType.Struct s) {
                out.append("/* Java record ").append(s.javaName()).append(" */\n");
                appendStruct(out, s.tag(), s.placed(), s.size(), guard == null);
            }
            if (guard != null) {
                out.append("#endif /* ").append(guard).append(" */\n\n");
            }
        }
    }

    private static String tag(CType type) {
        return type instanceof CType.Enum e ? e.tag() : ((CType.Struct) type).tag();
    }

    private static void collect(CType type, boolean inShared, Map<String, Named> named) {
        switch (type) {
            case CType.Array array -> collect(array.element(), inShared, named);
            case CType.Struct struct -> {
                boolean shared = inShared || struct.shared();
                struct.fields().forEach(f -> collect(f.type(), shared, named));
                named.putIfAbsent(struct.cName(), new Named(struct, shared));
            }
            case CType.Enum e -> named.putIfAbsent(e.cName(), new Named(e, inShared));
            case CType.Scalar ignored -> { }
        }
    }

    private static void appendStruct(StringBuilder out, String tag, List<CType.Placed> members, int size, boolean blankLine) {
        out.append("struct ").append(tag).append(" {\n");
        for (CType.Placed member : members) {
            out.append("\t").append(member.type().declarator(member.name())).append(";\n");
        }
        out.append("};\n");
        out.append("_Static_assert(sizeof(struct ").append(tag).append(") == ").append(size)
           .append(", \"bpf-globals: struct ").append(tag).append(" must be ").append(size).append(" bytes\");\n");
        for (CType.Placed member : members) {
            out.append("_Static_assert(__builtin_offsetof(struct ").append(tag).append(", ").append(member.name())
               .append(") == ").append(member.offset()).append(", \"bpf-globals: ").append(member.name())
               .append(" must be at offset ").append(member.offset()).append("\");\n");
        }
        if (blankLine) {
            out.append("\n");
        }
    }
}
