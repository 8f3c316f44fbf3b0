package dev.bpfglobals.runtime.btf;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rewrites the BTF kinds a kernel does not know into kinds it does, one type for one type so that
 * every type id (in maps, func info, DATASECs) stays valid; the same rewrites libbpf applies before
 * {@code BPF_BTF_LOAD}. Names of the rewritten types are kept where the replacement kind allows a
 * name, so tools still show them.
 *
 * <ul>
 *   <li>{@code VAR} becomes a one-byte {@code INT}; {@code DATASEC} a {@code STRUCT} of its variables
 *       (its dots turned into underscores, which struct names need);</li>
 *   <li>{@code FUNC_PROTO} becomes an {@code ENUM} of its parameters, {@code FUNC} a {@code TYPEDEF};
 *       a global {@code FUNC} becomes static where only global linkage is missing;</li>
 *   <li>{@code FLOAT} becomes an empty {@code STRUCT} of the same size, {@code ENUM64} an empty
 *       {@code UNION} of the same size;</li>
 *   <li>{@code DECL_TAG} becomes an anonymous one-byte {@code INT}, {@code TYPE_TAG} a {@code CONST}.</li>
 * </ul>
 */
public final class BtfSanitizer {

    private BtfSanitizer() {
    }

    /** {@code btf} with every type {@code support} lacks rewritten; {@code btf} itself when nothing needs it. */
    public static Btf sanitize(Btf btf, BtfSupport support) {
        if (support.acceptsAll(btf)) {
            return btf;
        }
        Map<Integer, BtfType> replacements = new HashMap<>();
        List<BtfType> types = btf.types();
        for (int id = 1; id < types.size(); id++) {
            BtfType type = types.get(id);
            if (!support.accepts(type)) {
                replacements.put(id, replacement(type, btf, support));
            }
        }
        return btf.withTypes(replacements);
    }

    private static BtfType replacement(BtfType type, Btf btf, BtfSupport support) {
        return switch (type) {
            case BtfType.Func f when support.func() -> new BtfType.Func(f.name(), f.type(), BtfType.Linkage.STATIC);
            case BtfType.Func f -> new BtfType.Typedef(f.name(), f.type());
            case BtfType.FuncProto p -> parametersAsEnum(p);
            case BtfType.Var v -> new BtfType.Int(v.name(), 1, 0, 0, 8);
            case BtfType.Datasec d -> datasecAsStruct(d, btf);
            case BtfType.Float f -> new BtfType.Struct(f.name(), f.size(), List.of());
            case BtfType.DeclTag t -> new BtfType.Int("", 1, 0, 0, 8);
            case BtfType.TypeTag t -> new BtfType.Const(t.type());
            case BtfType.Enum64 e -> new BtfType.Union(e.name(), e.size(), List.of());
            default -> throw new IllegalStateException("no rewrite for " + type.kind());
        };
    }

    /** The kernel checks enum value names as identifiers: unnamed parameters get {@code param<N>}. */
    private static BtfType parametersAsEnum(BtfType.FuncProto proto) {
        List<BtfType.EnumValue> values = new ArrayList<>();
        for (int i = 0; i < proto.params().size(); i++) {
            BtfType.Param param = proto.params().get(i);
            String name = param.name().isEmpty() ? "param" + i : param.name();
            values.add(new BtfType.EnumValue(name, param.type()));
        }
        return new BtfType.Enum("", 4, false, values);
    }

    private static BtfType datasecAsStruct(BtfType.Datasec datasec, Btf btf) {
        List<BtfType.Member> members = new ArrayList<>();
        for (BtfType.VarSecinfo entry : datasec.entries()) {
            String name = btf.type(entry.type()) instanceof BtfType.Var v ? v.name() : "";
            members.add(new BtfType.Member(name, entry.type(), entry.offset() * 8, 0));
        }
        return new BtfType.Struct(identifier(datasec.name()), datasec.size(), members);
    }

    private static String identifier(String name) {
        StringBuilder out = new StringBuilder(name.length());
        for (char c : name.toCharArray()) {
            out.append(Character.isLetterOrDigit(c) || c == '_' ? c : '_');
        }
        return out.toString();
    }
}
