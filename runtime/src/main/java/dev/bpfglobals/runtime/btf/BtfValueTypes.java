package dev.bpfglobals.runtime.btf;

import dev.bpfglobals.contract.ValueType;
import java.util.ArrayList;
import java.util.List;

/** BTF types as the public, read-only {@link ValueType} description. */
public final class BtfValueTypes {

    /** Deeper than any C type a map holds; stops a malformed BTF's cycle of types. */
    private static final int MAX_DEPTH = 64;

    private BtfValueTypes() {
    }

    /** The type with id {@code typeId} of {@code btf}, typedefs and qualifiers resolved. */
    public static ValueType of(Btf btf, int typeId) {
        return of(btf, typeId, 0);
    }

    private static ValueType of(Btf btf, int typeId, int depth) {
        if (depth > MAX_DEPTH) {
            throw new BtfFormatException("BTF type " + typeId + " nests deeper than " + MAX_DEPTH + " levels");
        }
        String cName = btf.cName(typeId);
        BtfType type = btf.type(btf.resolve(typeId));
        return switch (type) {
            case BtfType.Int i -> new ValueType.Int(cName, i.size(), i.signed(), i.bool(), i.bitOffset(), i.bits());
            case BtfType.Float f -> new ValueType.Float(cName, f.size());
            case BtfType.Enum e -> new ValueType.Enum(cName, e.size(), e.signed(), e.values().stream()
                    .map(v -> new ValueType.Constant(v.name(), e.signed() ? v.value() : Integer.toUnsignedLong(v.value())))
                    .toList());
            case BtfType.Enum64 e -> new ValueType.Enum(cName, e.size(), e.signed(), e.values().stream()
                    .map(v -> new ValueType.Constant(v.name(), v.value())).toList());
            case BtfType.Ptr p -> new ValueType.Pointer(cName);
            case BtfType.Array a -> new ValueType.Array(cName, of(btf, a.elementType(), depth + 1), a.length());
            case BtfType.Struct s -> new ValueType.Struct(cName, s.size(), false, fields(btf, s.members(), depth));
            case BtfType.Union u -> new ValueType.Struct(cName, u.size(), true, fields(btf, u.members(), depth));
            case BtfType.Var v -> of(btf, v.type(), depth + 1);
            case BtfType.Datasec d -> {
                List<ValueType.Variable> variables = new ArrayList<>();
                for (BtfType.VarSecinfo entry : d.entries()) {
                    variables.add(new ValueType.Variable(btf.type(entry.type()).name(), entry.offset(), entry.size(),
                            of(btf, entry.type(), depth + 1)));
                }
                yield new ValueType.Section(d.name(), d.size(), variables);
            }
            default -> new ValueType.Opaque(cName, 0);
        };
    }

    private static List<ValueType.Field> fields(Btf btf, List<BtfType.Member> members, int depth) {
        List<ValueType.Field> fields = new ArrayList<>();
        for (BtfType.Member member : members) {
            fields.add(new ValueType.Field(member.name(), member.bitOffset(), member.bitfieldSize(),
                    of(btf, member.type(), depth + 1)));
        }
        return fields;
    }
}
