package dev.bpfglobals.runtime.btf;

import java.util.ArrayList;
import java.util.List;

/**
 * Renders a type as the processor spells C types in a contract. Walks iteratively, at most
 * {@link Btf#MAX_RESOLVE_DEPTH} steps: checked BTF has no longer chain, and a name is never longer.
 */
final class BtfNames {

    private BtfNames() {
    }

    static String render(Btf btf, int id) {
        // Declarators seen on the way in, outermost first: "[n]" groups for arrays, " *" for pointers.
        List<String> declarators = new ArrayList<>();
        StringBuilder dimensions = new StringBuilder();
        int current = id;
        for (int depth = 0; ; depth++) {
            Btf.requireDepth(id, depth);
            BtfType type = btf.type(current);
            if (type instanceof BtfType.Array array) {
                dimensions.append('[').append(Integer.toUnsignedString(array.length())).append(']');
                current = array.elementType();
                continue;
            }
            switch (type) {
                case BtfType.Ptr p -> {
                    flush(dimensions, declarators);
                    declarators.add(" *");
                    current = p.type();
                }
                case BtfType.Typedef t when !namesAnonymousAggregate(btf, t) -> current = t.type();
                case BtfType.Const c -> current = c.type();
                case BtfType.Volatile v -> current = v.type();
                case BtfType.Restrict r -> current = r.type();
                case BtfType.TypeTag t -> current = t.type();
                case BtfType.Var v -> current = v.type();
                case BtfType.DeclTag t -> current = t.type();
                default -> {
                    flush(dimensions, declarators);
                    StringBuilder out = new StringBuilder(base(type));
                    // C reads declarators inside out: the innermost (last seen) binds first.
                    for (int i = declarators.size() - 1; i >= 0; i--) {
                        out.append(declarators.get(i));
                    }
                    return out.toString();
                }
            }
        }
    }

    /** Consecutive array dimensions (through typedefs too) read outermost first, as C writes them. */
    private static void flush(StringBuilder dimensions, List<String> declarators) {
        if (!dimensions.isEmpty()) {
            declarators.add(dimensions.toString());
            dimensions.setLength(0);
        }
    }

    /** {@code typedef struct { ... } name_t}: the typedef's name is the only name the type has. */
    private static boolean namesAnonymousAggregate(Btf btf, BtfType.Typedef typedef) {
        BtfType target = btf.type(btf.resolve(typedef.type()));
        return target.name().isEmpty() && switch (target.kind()) {
            case STRUCT, UNION, ENUM, ENUM64 -> true;
            default -> false;
        };
    }

    private static String base(BtfType type) {
        return switch (type) {
            case BtfType.Int i -> integer(i);
            case BtfType.Struct s -> "struct " + tag(s.name());
            case BtfType.Union u -> "union " + tag(u.name());
            case BtfType.Enum e -> "enum " + tag(e.name());
            case BtfType.Enum64 e -> "enum " + tag(e.name());
            case BtfType.Fwd f -> (f.union() ? "union " : "struct ") + tag(f.name());
            case BtfType.Typedef t -> t.name();
            case BtfType.Float f -> f.name();
            case BtfType.Void v -> "void";
            case BtfType.Func f -> f.name();
            case BtfType.FuncProto p -> "function";
            case BtfType.Datasec d -> d.name();
            default -> throw new IllegalStateException("unreachable: " + type.kind());
        };
    }

    /** Integers by width and sign, the way the generated header declares them. */
    private static String integer(BtfType.Int type) {
        if (type.bool()) {
            return "_Bool";
        }
        return (type.signed() ? "__s" : "__u") + type.size() * 8;
    }

    private static String tag(String name) {
        return name.isEmpty() ? "<anonymous>" : name;
    }
}
