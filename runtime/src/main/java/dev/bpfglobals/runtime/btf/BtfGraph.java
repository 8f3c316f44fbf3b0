package dev.bpfglobals.runtime.btf;

import java.util.List;

/**
 * Checks the references between types: every id names a type, functions have prototypes, data
 * sections hold variables, and there is no loop a reader could walk forever.
 *
 * <p>Pointers legitimately close loops ({@code struct node { struct node *next; }}), so loops are
 * judged as the kernel does: with pointer edges left out, nothing may loop (a struct that contains
 * itself has no size); and a pointer or modifier chain must end at a struct, union, enum, forward
 * declaration or prototype, never come back to where it started ({@code ptr -> const -> ptr}).
 */
final class BtfGraph {

    private static final int[] NONE = new int[0];

    private BtfGraph() {
    }

    static void check(List<BtfType> types) {
        for (int id = 1; id < types.size(); id++) {
            BtfType type = types.get(id);
            for (int target : references(type)) {
                if (target >= types.size()) {
                    throw new BtfFormatException(Btf.describe(type, id) + " refers to type " + target
                            + ", but the last type is " + (types.size() - 1));
                }
            }
            checkTargetKinds(types, id, type);
        }
        requireAcyclic(types, true);
        requireAcyclic(types, false);
        requireShallowChains(types);
    }

    /**
     * Every chain of pointers, modifiers, typedefs, arrays and variables is at most
     * {@link Btf#MAX_RESOLVE_DEPTH} long, as the kernel and libbpf require. Each type's depth is
     * worked out once, from the already known depth of the next, so this is linear in the types.
     */
    private static void requireShallowChains(List<BtfType> types) {
        int[] links = new int[types.size()]; // links at and below each type, -1 while not known
        java.util.Arrays.fill(links, -1);
        links[0] = 0;
        int[] path = new int[Btf.MAX_RESOLVE_DEPTH + 1];
        for (int root = 1; root < types.size(); root++) {
            int length = 0;
            int current = root;
            int below;
            // Down to a type whose count is known or that ends the chain, never further than the limit.
            while (true) {
                if (links[current] >= 0) {
                    below = links[current];
                    break;
                }
                int next = chainLink(types.get(current));
                if (next < 0) {
                    links[current] = 0;
                    below = 0;
                    break;
                }
                if (length == path.length) {
                    throw tooDeep(types, path[0]); // it has more links than the path holds
                }
                path[length++] = current;
                current = next;
            }
            for (int i = length - 1; i >= 0; i--) {
                below++;
                if (below > Btf.MAX_RESOLVE_DEPTH) {
                    throw tooDeep(types, path[i]);
                }
                links[path[i]] = below;
            }
        }
    }

    private static BtfFormatException tooDeep(List<BtfType> types, int id) {
        return new BtfFormatException(Btf.describe(types.get(id), id) + " is built on more than " + Btf.MAX_RESOLVE_DEPTH
                + " pointers, modifiers, typedefs and arrays, past the kernel's resolve depth of " + Btf.MAX_RESOLVE_DEPTH);
    }

    /** The type a chain link is built on, or -1 for a type that ends a chain. */
    private static int chainLink(BtfType type) {
        // On the kind, not a pattern switch over the sealed BtfType: the first pattern switch of a
        // process spins a $$TypeSwitch class through java.lang.classfile at run time, which every
        // cold command paid here and no AOT cache holds (docs/benchmarks.md#cold-start).
        return switch (type.kind()) {
            case PTR -> ((BtfType.Ptr) type).type();
            case ARRAY -> ((BtfType.Array) type).elementType();
            case TYPEDEF -> ((BtfType.Typedef) type).type();
            case VOLATILE -> ((BtfType.Volatile) type).type();
            case CONST -> ((BtfType.Const) type).type();
            case RESTRICT -> ((BtfType.Restrict) type).type();
            case TYPE_TAG -> ((BtfType.TypeTag) type).type();
            case VAR -> ((BtfType.Var) type).type();
            case DECL_TAG -> ((BtfType.DeclTag) type).type();
            default -> -1;
        };
    }

    private static void checkTargetKinds(List<BtfType> types, int id, BtfType type) {
        // instanceof tests rather than a pattern switch: see chainLink.
        if (type instanceof BtfType.Func f && !(types.get(f.type()) instanceof BtfType.FuncProto)) {
            throw new BtfFormatException(Btf.describe(type, id) + " has type " + f.type() + ", not a FUNC_PROTO");
        }
        if (type instanceof BtfType.Datasec d) {
            for (BtfType.VarSecinfo entry : d.entries()) {
                BtfType target = types.get(entry.type());
                if (!(target instanceof BtfType.Var) && !(target instanceof BtfType.Func)) {
                    throw new BtfFormatException(Btf.describe(type, id) + " lists type " + entry.type()
                            + ", which is a " + target.kind() + ", not a VAR");
                }
            }
        }
        // A typeless kernel symbol (extern void x __ksym) is an extern VAR of void; a defined variable cannot be.
        if (type instanceof BtfType.Var v && v.type() == 0 && v.linkage() != BtfType.Linkage.EXTERN) {
            throw new BtfFormatException(Btf.describe(type, id) + " has type void");
        }
        if (type instanceof BtfType.Array a && a.elementType() == 0) {
            throw new BtfFormatException("ARRAY type " + id + " of void");
        }
    }

    /** The ids {@code type} refers to, void left out. */
    static int[] references(BtfType type) {
        // On the kind, with loops rather than streams: this runs for every type of every object a
        // command opens, cold (see chainLink).
        return switch (type.kind()) {
            case PTR -> one(((BtfType.Ptr) type).type());
            case ARRAY -> {
                BtfType.Array a = (BtfType.Array) type;
                yield a.indexType() == 0 ? one(a.elementType()) : new int[] {a.elementType(), a.indexType()};
            }
            case STRUCT -> memberTypes(((BtfType.Struct) type).members());
            case UNION -> memberTypes(((BtfType.Union) type).members());
            case TYPEDEF -> one(((BtfType.Typedef) type).type());
            case VOLATILE -> one(((BtfType.Volatile) type).type());
            case CONST -> one(((BtfType.Const) type).type());
            case RESTRICT -> one(((BtfType.Restrict) type).type());
            case TYPE_TAG -> one(((BtfType.TypeTag) type).type());
            case FUNC -> one(((BtfType.Func) type).type());
            case FUNC_PROTO -> {
                BtfType.FuncProto p = (BtfType.FuncProto) type;
                int[] ids = new int[p.params().size() + 1];
                ids[0] = p.returnType();
                for (int i = 0; i < p.params().size(); i++) {
                    ids[i + 1] = p.params().get(i).type();
                }
                yield nonVoid(ids);
            }
            case VAR -> one(((BtfType.Var) type).type());
            case DATASEC -> {
                List<BtfType.VarSecinfo> entries = ((BtfType.Datasec) type).entries();
                int[] ids = new int[entries.size()];
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = entries.get(i).type();
                }
                yield nonVoid(ids);
            }
            case DECL_TAG -> one(((BtfType.DeclTag) type).type());
            case VOID, INT, ENUM, ENUM64, FWD, FLOAT -> NONE;
        };
    }

    private static int[] memberTypes(List<BtfType.Member> members) {
        int[] ids = new int[members.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = members.get(i).type();
        }
        return nonVoid(ids);
    }

    /** {@code ids} without the zeros (void), in order. */
    private static int[] nonVoid(int[] ids) {
        int kept = 0;
        for (int id : ids) {
            if (id != 0) {
                ids[kept++] = id;
            }
        }
        return kept == ids.length ? ids : java.util.Arrays.copyOf(ids, kept);
    }

    private static int[] one(int id) {
        return id == 0 ? NONE : new int[] {id};
    }

    /** The edges a walk follows: all but pointers' ({@code withoutPointers}), or all but those that end a pointer chain. */
    private static int[] edges(List<BtfType> types, BtfType type, boolean withoutPointers) {
        if (type instanceof BtfType.Array a) {
            return one(a.elementType()); // the index type never takes part in a layout
        }
        if (withoutPointers) {
            return type instanceof BtfType.Ptr ? NONE : references(type);
        }
        int[] targets = references(type);
        if (type instanceof BtfType.Ptr || type.kind().isModifier()) {
            int kept = 0;
            for (int target : targets) {
                if (!endsChain(types.get(target))) {
                    targets[kept++] = target;
                }
            }
            return kept == targets.length ? targets : java.util.Arrays.copyOf(targets, kept);
        }
        return targets;
    }

    private static boolean endsChain(BtfType target) {
        return switch (target.kind()) {
            case STRUCT, UNION, FWD, ENUM, ENUM64, FUNC_PROTO -> true;
            default -> false;
        };
    }

    /** Depth-first search with an explicit stack, so a million-type chain cannot overflow the Java stack. */
    private static void requireAcyclic(List<BtfType> types, boolean withoutPointers) {
        byte[] state = new byte[types.size()]; // 0 unseen, 1 on the current path, 2 done
        int[] stackNode = new int[types.size()];
        int[] stackEdge = new int[types.size()];
        int[][] stackTargets = new int[types.size()][];
        for (int root = 1; root < types.size(); root++) {
            if (state[root] != 0) {
                continue;
            }
            int depth = 0;
            stackNode[0] = root;
            stackEdge[0] = 0;
            stackTargets[0] = edges(types, types.get(root), withoutPointers);
            state[root] = 1;
            while (depth >= 0) {
                int node = stackNode[depth];
                int[] targets = stackTargets[depth];
                if (stackEdge[depth] == targets.length) {
                    state[node] = 2;
                    stackTargets[depth] = null;
                    depth--;
                    continue;
                }
                int next = targets[stackEdge[depth]++];
                if (state[next] == 1) {
                    throw new BtfFormatException("type reference loop through " + Btf.describe(types.get(next), next)
                            + (withoutPointers ? " (a type that contains itself)" : " (a pointer or modifier chain that never ends)"));
                }
                if (state[next] == 0) {
                    state[next] = 1;
                    depth++;
                    stackNode[depth] = next;
                    stackEdge[depth] = 0;
                    stackTargets[depth] = edges(types, types.get(next), withoutPointers);
                }
            }
        }
    }
}
