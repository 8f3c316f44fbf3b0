package dev.bpfglobals.runtime.btf;

import java.util.List;

/**
 * {@code bpf_core_type_matches}: whether a kernel type has the shape the object's type describes,
 * as libbpf's {@code bpf_core_types_match} decides it. Stricter than {@link CoreCompat}: names must
 * agree (without flavours, anonymous ones match anything), integers in size and sign, arrays in
 * length, every local member or enumerator must exist by name in the kernel's type (which may have
 * more), and behind a pointer a struct or union also matches a forward declaration of its kind.
 */
final class CoreMatch {

    /** libbpf's bound on nesting, both for members and for chains of pointers and arrays. */
    private static final int MAX_LEVEL = 32;

    private CoreMatch() {
    }

    static boolean typesMatch(Btf local, int localId, Btf target, int targetId) {
        return matches(local, localId, target, targetId, false, MAX_LEVEL);
    }

    private static boolean matches(Btf local, int localId, Btf target, int targetId, boolean behindPointer, int level) {
        if (level <= 0) {
            throw new IllegalArgumentException("types nested deeper than " + MAX_LEVEL + " for bpf_core_type_matches");
        }
        for (int depth = 0; depth < MAX_LEVEL; depth++) {
            localId = local.resolve(localId);
            targetId = target.resolve(targetId);
            BtfType l = local.type(localId);
            BtfType t = target.type(targetId);
            if (!namesMatch(l.name(), t.name())) {
                return false;
            }
            switch (l) {
                case BtfType.Void v -> {
                    return t instanceof BtfType.Void;
                }
                case BtfType.Fwd f -> {
                    if (t instanceof BtfType.Fwd tf) {
                        return f.union() == tf.union();
                    }
                    return behindPointer && (f.union() ? t instanceof BtfType.Union : t instanceof BtfType.Struct);
                }
                case BtfType.Enum e -> {
                    return enumsMatch(e.size(), e.values().stream().map(BtfType.EnumValue::name).toList(), t);
                }
                case BtfType.Enum64 e -> {
                    return enumsMatch(e.size(), e.values().stream().map(BtfType.Enum64Value::name).toList(), t);
                }
                case BtfType.Struct s -> {
                    return compositeMatches(local, s.members(), false, target, t, behindPointer, level);
                }
                case BtfType.Union u -> {
                    return compositeMatches(local, u.members(), true, target, t, behindPointer, level);
                }
                case BtfType.Int i -> {
                    return t instanceof BtfType.Int ti && i.size() == ti.size() && i.signed() == ti.signed();
                }
                case BtfType.Ptr p -> {
                    if (!(t instanceof BtfType.Ptr tp)) {
                        return false;
                    }
                    behindPointer = true;
                    localId = p.type();
                    targetId = tp.type();
                }
                case BtfType.Array a -> {
                    if (!(t instanceof BtfType.Array ta) || a.length() != ta.length()) {
                        return false;
                    }
                    localId = a.elementType();
                    targetId = ta.elementType();
                }
                case BtfType.FuncProto p -> {
                    if (!(t instanceof BtfType.FuncProto tp) || p.params().size() != tp.params().size()) {
                        return false;
                    }
                    for (int i = 0; i < p.params().size(); i++) {
                        if (!matches(local, p.params().get(i).type(), target, tp.params().get(i).type(), behindPointer, level - 1)) {
                            return false;
                        }
                    }
                    localId = p.returnType();
                    targetId = tp.returnType();
                }
                default -> {
                    return false;
                }
            }
        }
        throw new IllegalArgumentException("types nested deeper than " + MAX_LEVEL + " for bpf_core_type_matches");
    }

    private static boolean compositeMatches(Btf local, List<BtfType.Member> members, boolean union, Btf target, BtfType t,
            boolean behindPointer, int level) {
        if (behindPointer) {
            // Behind a pointer only the kind matters, and a forward declaration of that kind will do.
            return union ? t instanceof BtfType.Union || t instanceof BtfType.Fwd f && f.union()
                    : t instanceof BtfType.Struct || t instanceof BtfType.Fwd f && !f.union();
        }
        List<BtfType.Member> targetMembers = CoreSpec.members(t);
        if (targetMembers == null || (t instanceof BtfType.Union) != union || members.size() > targetMembers.size()) {
            return false;
        }
        for (BtfType.Member member : members) {
            boolean found = false;
            for (BtfType.Member candidate : targetMembers) {
                if (namesMatch(member.name(), candidate.name())
                        && matches(local, member.type(), target, candidate.type(), false, level - 1)) {
                    found = true;
                    break;
                }
            }
            if (!found) {
                return false;
            }
        }
        return true;
    }

    private static boolean enumsMatch(int size, List<String> names, BtfType t) {
        List<String> targetNames = switch (t) {
            case BtfType.Enum e -> e.size() == size ? e.values().stream().map(BtfType.EnumValue::name).toList() : null;
            case BtfType.Enum64 e -> e.size() == size ? e.values().stream().map(BtfType.Enum64Value::name).toList() : null;
            default -> null;
        };
        if (targetNames == null || names.size() > targetNames.size()) {
            return false;
        }
        return names.stream().allMatch(name -> targetNames.stream().anyMatch(other -> namesMatch(name, other)));
    }

    /** Anonymous on either side, or equal without flavours. */
    private static boolean namesMatch(String local, String target) {
        return local.isEmpty() || target.isEmpty() || KernelBtf.essentialName(local).equals(KernelBtf.essentialName(target));
    }
}
