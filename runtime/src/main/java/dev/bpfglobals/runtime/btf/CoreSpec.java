package dev.bpfglobals.runtime.btf;

import java.util.ArrayList;
import java.util.List;

/**
 * What a CO-RE access string reaches from its root type, in one BTF: the accessors (named members
 * and array indices; anonymous members the string passes through are in {@link #raw} only), and the
 * bit offset from the start of the root. libbpf's {@code struct bpf_core_spec}.
 *
 * <p>{@link #parse} reads the access string against the object's own BTF; {@link #match} finds the
 * same members, by name, in a candidate type of the kernel's BTF.
 *
 * @param btf       the BTF the ids are in
 * @param rootId    the root type (as given, modifiers not skipped)
 * @param kind      the relocation's kind
 * @param accessors for field kinds the first array index then each named member or array index;
 *                  for enum kinds the one enumerator; empty for type kinds
 * @param raw       the access string's indices, anonymous members included
 * @param bitOffset the field's offset in bits from the root (0 for type and enum kinds)
 */
public record CoreSpec(Btf btf, int rootId, CoreKind kind, List<Accessor> accessors, List<Integer> raw, long bitOffset) {

    /** libbpf's {@code BPF_CORE_SPEC_MAX_LEN}: deeper access strings are refused. */
    public static final int MAX_LENGTH = 64;

    /**
     * One step of an access: member or enumerator {@code index} of type {@code typeId} (modifiers
     * skipped), called {@code name}; or, with no name, element {@code index} of an array whose
     * elements are of type {@code typeId}.
     */
    public record Accessor(int typeId, int index, String name) {
        /** Whether this is an array index rather than a named member or enumerator. */
        public boolean isArrayIndex() {
            return name == null;
        }
    }

    /** Copies the lists. */
    public CoreSpec {
        accessors = List.copyOf(accessors);
        raw = List.copyOf(raw);
    }

    /**
     * Reads {@code access} (e.g. {@code 0:1:3}) from type {@code rootId} of {@code btf}, as libbpf's
     * {@code bpf_core_parse_spec} does.
     *
     * @throws IllegalArgumentException naming the step at fault, if the string does not fit the types
     */
    public static CoreSpec parse(Btf btf, int rootId, String access, CoreKind kind) {
        List<Integer> raw = new ArrayList<>();
        for (String part : access.split(":", -1)) {
            try {
                int index = Integer.parseInt(part);
                if (index < 0) {
                    throw new NumberFormatException();
                }
                raw.add(index);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("access string '" + access + "' is not a list of indices");
            }
        }
        if (raw.size() > MAX_LENGTH) {
            throw new IllegalArgumentException("access string '" + access + "' is deeper than " + MAX_LENGTH);
        }
        if (kind.isType()) {
            if (!access.equals("0")) {
                throw new IllegalArgumentException("a " + kind + " relocation has access string '" + access + "', not '0'");
            }
            return new CoreSpec(btf, rootId, kind, List.of(), raw, 0);
        }
        int id = btf.resolve(rootId);
        BtfType type = btf.type(id);
        if (kind.isEnumValue()) {
            List<String> names = enumeratorNames(type);
            if (names == null || raw.size() != 1 || raw.get(0) >= names.size()) {
                throw new IllegalArgumentException("a " + kind + " relocation with access '" + access + "' of "
                        + Btf.describe(type, id) + ", which has no such enumerator");
            }
            return new CoreSpec(btf, rootId, kind, List.of(new Accessor(id, raw.get(0), names.get(raw.get(0)))), raw, 0);
        }
        List<Accessor> accessors = new ArrayList<>();
        accessors.add(new Accessor(id, raw.get(0), null));
        long bits = Math.multiplyExact(Math.multiplyExact((long) raw.get(0), btf.sizeOf(id)), 8L);
        for (int i = 1; i < raw.size(); i++) {
            int index = raw.get(i);
            type = btf.type(id);
            List<BtfType.Member> members = members(type);
            if (members != null) {
                if (index >= members.size()) {
                    throw new IllegalArgumentException("access '" + access + "' step " + i + ": " + Btf.describe(type, id)
                            + " has " + members.size() + " members, no member " + index);
                }
                BtfType.Member member = members.get(index);
                bits += member.bitOffset();
                if (!member.name().isEmpty()) {
                    accessors.add(new Accessor(id, index, member.name()));
                }
                id = btf.resolve(member.type());
            } else if (type instanceof BtfType.Array array) {
                Accessor previous = accessors.get(accessors.size() - 1);
                if (!isFlexible(btf, previous, array) && index >= array.length()) {
                    throw new IllegalArgumentException("access '" + access + "' step " + i + ": index " + index
                            + " past the " + array.length() + " elements of the array");
                }
                id = btf.resolve(array.elementType());
                accessors.add(new Accessor(id, index, null));
                bits = Math.addExact(bits, Math.multiplyExact(Math.multiplyExact((long) index, btf.sizeOf(id)), 8L));
            } else {
                throw new IllegalArgumentException("access '" + access + "' step " + i + " goes into " + Btf.describe(type, id)
                        + ", which is neither struct, union nor array");
            }
        }
        return new CoreSpec(btf, rootId, kind, accessors, raw, bits);
    }

    /**
     * The same access in candidate {@code targetId} of {@code target}, found as libbpf's
     * {@code bpf_core_spec_match} finds it: type kinds need compatible types, enum kinds an
     * enumerator of the same essential name, field kinds each named member by its exact name
     * (looking through anonymous members) with a compatible type, and each array index in bounds.
     *
     * @return the target's spec, or {@code null} when the candidate does not have the access
     */
    public CoreSpec match(Btf target, int targetId) {
        if (kind.isType()) {
            boolean fits = kind == CoreKind.TYPE_MATCHES ? CoreMatch.typesMatch(btf, rootId, target, targetId)
                    : CoreCompat.typesCompatible(btf, rootId, target, targetId);
            return fits
                    ? new CoreSpec(target, targetId, kind, List.of(), raw, 0) : null;
        }
        if (kind.isEnumValue()) {
            int id = target.resolve(targetId);
            List<String> names = enumeratorNames(target.type(id));
            if (names == null) {
                return null;
            }
            String wanted = KernelBtf.essentialName(accessors.get(0).name());
            for (int i = 0; i < names.size(); i++) {
                if (KernelBtf.essentialName(names.get(i)).equals(wanted)) {
                    return new CoreSpec(target, targetId, kind, List.of(new Accessor(id, i, names.get(i))), List.of(i), 0);
                }
            }
            return null;
        }
        Matching state = new Matching(target);
        int id = targetId;
        for (int i = 0; i < accessors.size(); i++) {
            Accessor local = accessors.get(i);
            id = target.resolve(id);
            BtfType type = target.type(id);
            if (!local.isArrayIndex()) {
                int next = state.member(btf, local, id);
                if (next < 0) {
                    return null;
                }
                id = next;
                continue;
            }
            if (i > 0) {
                if (!(type instanceof BtfType.Array array)) {
                    return null;
                }
                Accessor previous = state.accessors.get(state.accessors.size() - 1);
                if (!isFlexible(target, previous, array) && local.index() >= array.length()) {
                    return null;
                }
                id = target.resolve(array.elementType());
            }
            state.push(local.index());
            state.accessors.add(new Accessor(id, local.index(), null));
            state.bits = Math.addExact(state.bits, Math.multiplyExact(Math.multiplyExact((long) local.index(), target.sizeOf(id)), 8L));
        }
        return new CoreSpec(target, targetId, kind, state.accessors, state.raw, state.bits);
    }

    /** The spec in C terms, for messages: {@code struct task_struct.pid}, {@code struct s.a[2].b}, {@code enum e::V}. */
    public String describe() {
        BtfType root = btf.type(rootId);
        StringBuilder text = new StringBuilder(cKind(root)).append(root.name().isEmpty() ? "(anon)" : root.name());
        if (kind.isEnumValue()) {
            return text.append("::").append(accessors.get(0).name()).toString();
        }
        for (int i = 0; i < accessors.size(); i++) {
            Accessor step = accessors.get(i);
            if (step.isArrayIndex()) {
                if (i > 0 || step.index() != 0) {
                    text.append('[').append(step.index()).append(']');
                }
            } else {
                text.append('.').append(step.name());
            }
        }
        return text.toString();
    }

    private static String cKind(BtfType type) {
        return switch (type.kind()) {
            case STRUCT -> "struct ";
            case UNION -> "union ";
            case ENUM, ENUM64 -> "enum ";
            case FWD -> ((BtfType.Fwd) type).union() ? "union " : "struct ";
            case TYPEDEF -> "typedef ";
            default -> type.kind().name().toLowerCase(java.util.Locale.ROOT) + " ";
        };
    }

    /** libbpf's flexible array: a zero-length array that is the last member of its struct. */
    private static boolean isFlexible(Btf btf, Accessor owner, BtfType.Array array) {
        if (owner.isArrayIndex() || array.length() > 0) {
            return false;
        }
        List<BtfType.Member> members = members(btf.type(owner.typeId()));
        return members != null && owner.index() == members.size() - 1;
    }

    // instanceof, not a pattern switch over the sealed type: that spins a class at its first use,
    // which every cold CO-RE load paid (issue 25).
    static List<BtfType.Member> members(BtfType type) {
        if (type instanceof BtfType.Struct s) {
            return s.members();
        }
        return type instanceof BtfType.Union u ? u.members() : null;
    }

    private static List<String> enumeratorNames(BtfType type) {
        if (type instanceof BtfType.Enum e) {
            return e.values().stream().map(BtfType.EnumValue::name).toList();
        }
        return type instanceof BtfType.Enum64 e ? e.values().stream().map(BtfType.Enum64Value::name).toList() : null;
    }

    /** The target's spec as it is built, with libbpf's speculate-and-undo of member offsets. */
    private static final class Matching {
        final Btf target;
        final List<Accessor> accessors = new ArrayList<>();
        final List<Integer> raw = new ArrayList<>();
        long bits;

        Matching(Btf target) {
            this.target = target;
        }

        void push(int index) {
            if (raw.size() == MAX_LENGTH) {
                throw new IllegalArgumentException("the matching access in the kernel's BTF is deeper than " + MAX_LENGTH);
            }
            raw.add(index);
        }

        /**
         * Finds local member {@code local} in struct or union {@code id} of the target (resolved),
         * directly or inside an anonymous member; the member's type id, or -1 if not there or incompatible.
         */
        int member(Btf localBtf, Accessor local, int id) {
            List<BtfType.Member> members = members(target.type(target.resolve(id)));
            if (members == null) {
                return -1;
            }
            id = target.resolve(id);
            BtfType.Member localMember = members(localBtf.type(local.typeId())).get(local.index());
            // Unlike type and enumerator names, member names carry no flavour: libbpf compares them whole.
            String wanted = localMember.name();
            for (int i = 0; i < members.size(); i++) {
                BtfType.Member member = members.get(i);
                bits += member.bitOffset();
                push(i);
                if (member.name().isEmpty()) {
                    int found = member(localBtf, local, member.type());
                    if (found >= 0) {
                        return found;
                    }
                } else if (member.name().equals(wanted)) {
                    if (!CoreCompat.fieldsCompatible(localBtf, localMember.type(), target, member.type())) {
                        return -1;
                    }
                    accessors.add(new Accessor(id, i, member.name()));
                    return member.type();
                }
                bits -= member.bitOffset();
                raw.remove(raw.size() - 1);
            }
            return -1;
        }
    }
}
