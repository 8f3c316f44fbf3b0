package dev.bpfglobals.runtime.btf;

import java.util.List;

/**
 * The two loose notions of type compatibility CO-RE uses between the object's BTF and the kernel's,
 * as libbpf's {@code relo_core.c} defines them: for a member reached by a field relocation, and for
 * the root of a type relocation. Names of structs and unions do not matter to either (candidates
 * were already found by name); integers of any size match, except the old bitfield-like ones.
 */
final class CoreCompat {

    /** Nesting bound, libbpf's for function prototypes and pointers. */
    private static final int MAX_DEPTH = 32;

    private CoreCompat() {
    }

    /** Whether {@code kind} of the object and of the kernel are the same for CO-RE (ENUM and ENUM64 are). */
    static boolean kindsCompatible(BtfKind local, BtfKind target) {
        return local == target || isEnum(local) && isEnum(target);
    }

    private static boolean isEnum(BtfKind kind) {
        return kind == BtfKind.ENUM || kind == BtfKind.ENUM64;
    }

    /** libbpf's {@code bpf_core_fields_are_compat}. */
    static boolean fieldsCompatible(Btf local, int localId, Btf target, int targetId) {
        for (int depth = 0; depth < MAX_DEPTH; depth++) {
            BtfType l = local.type(local.resolve(localId));
            BtfType t = target.type(target.resolve(targetId));
            if (CoreSpec.members(l) != null && CoreSpec.members(t) != null) {
                return true;
            }
            if (!kindsCompatible(l.kind(), t.kind())) {
                return false;
            }
            // On the kind, not a pattern switch over the sealed type: that spins a class at its first
            // use, which every cold CO-RE load paid (issue 25).
            switch (l.kind()) {
                case PTR, FLOAT -> {
                    return true;
                }
                case FWD, ENUM, ENUM64 -> {
                    return namesCompatible(l.name(), t.name());
                }
                case INT -> {
                    return ((BtfType.Int) l).bitOffset() == 0 && ((BtfType.Int) t).bitOffset() == 0;
                }
                case ARRAY -> {
                    localId = ((BtfType.Array) l).elementType();
                    targetId = ((BtfType.Array) t).elementType();
                }
                default -> {
                    return false;
                }
            }
        }
        return false;
    }

    /** Anonymous on either side, or the same name without flavours. */
    private static boolean namesCompatible(String local, String target) {
        String l = KernelBtf.essentialName(local);
        String t = KernelBtf.essentialName(target);
        return l.isEmpty() || t.isEmpty() || l.equals(t);
    }

    /** libbpf's {@code bpf_core_types_are_compat}. */
    static boolean typesCompatible(Btf local, int localId, Btf target, int targetId) {
        return typesCompatible(local, localId, target, targetId, MAX_DEPTH);
    }

    private static boolean typesCompatible(Btf local, int localId, Btf target, int targetId, int depth) {
        while (depth-- > 0) {
            localId = local.resolve(localId);
            targetId = target.resolve(targetId);
            BtfType l = local.type(localId);
            BtfType t = target.type(targetId);
            if (!kindsCompatible(l.kind(), t.kind())) {
                return false;
            }
            switch (l.kind()) { // on the kind, as in fieldsCompatible
                case VOID, STRUCT, UNION, ENUM, ENUM64, FWD -> {
                    return true;
                }
                case INT -> {
                    return ((BtfType.Int) l).bitOffset() == 0 && ((BtfType.Int) t).bitOffset() == 0;
                }
                case PTR -> {
                    localId = ((BtfType.Ptr) l).type();
                    targetId = ((BtfType.Ptr) t).type();
                }
                case ARRAY -> {
                    localId = ((BtfType.Array) l).elementType();
                    targetId = ((BtfType.Array) t).elementType();
                }
                case FUNC_PROTO -> {
                    BtfType.FuncProto p = (BtfType.FuncProto) l;
                    List<BtfType.Param> lp = p.params();
                    List<BtfType.Param> tp = ((BtfType.FuncProto) t).params();
                    if (lp.size() != tp.size()) {
                        return false;
                    }
                    for (int i = 0; i < lp.size(); i++) {
                        if (!typesCompatible(local, lp.get(i).type(), target, tp.get(i).type(), depth)) {
                            return false;
                        }
                    }
                    localId = p.returnType();
                    targetId = ((BtfType.FuncProto) t).returnType();
                }
                default -> {
                    return false;
                }
            }
        }
        return false;
    }
}
