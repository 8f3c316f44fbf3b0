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
            // On the kind, not a pattern switch over the sealed BtfType, which would spin a
            // $$TypeSwitch class at run time on every cold command (see Btf.resolve).
            int next = switch (type.kind()) {
                case PTR -> {
                    flush(dimensions, declarators);
                    declarators.add(" *");
                    yield ((BtfType.Ptr) type).type();
                }
                case TYPEDEF -> namesAnonymousAggregate(btf, (BtfType.Typedef) type) ? -1 : ((BtfType.Typedef) type).type();
                case CONST -> ((BtfType.Const) type).type();
                case VOLATILE -> ((BtfType.Volatile) type).type();
                case RESTRICT -> ((BtfType.Restrict) type).type();
                case TYPE_TAG -> ((BtfType.TypeTag) type).type();
                case VAR -> ((BtfType.Var) type).type();
                case DECL_TAG -> ((BtfType.DeclTag) type).type();
                default -> -1;
            };
            if (next >= 0) {
                current = next;
                continue;
            }
            flush(dimensions, declarators);
            StringBuilder out = new StringBuilder(base(type));
            // C reads declarators inside out: the innermost (last seen) binds first.
            for (int i = declarators.size() - 1; i >= 0; i--) {
                out.append(declarators.get(i));
            }
            return out.toString();
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
        return switch (type.kind()) { // on the kind: see render
            case INT -> integer((BtfType.Int) type);
            case STRUCT -> "struct " + tag(type.name());
            case UNION -> "union " + tag(type.name());
            case ENUM, ENUM64 -> "enum " + tag(type.name());
            case FWD -> (((BtfType.Fwd) type).union() ? "union " : "struct ") + tag(type.name());
            case TYPEDEF, FLOAT, FUNC, DATASEC -> type.name();
            case VOID -> "void";
            case FUNC_PROTO -> "function";
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
