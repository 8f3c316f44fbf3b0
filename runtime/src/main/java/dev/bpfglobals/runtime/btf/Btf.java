package dev.bpfglobals.runtime.btf;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A complete, checked set of BTF types: what {@link BtfReader} makes of a {@code .BTF} section or
 * of the BTF the kernel holds for a map, and what {@link BtfWriter} encodes.
 *
 * <p>Immutable. Every type id in it names a type, and no chain of references loops (see
 * {@link BtfGraph}), so the helpers here ({@link #resolve}, {@link #sizeOf}, {@link #cName}) always
 * end. Type id 0 is {@code void}; {@link #types()} is indexed by id.
 */
public final class Btf {

    /** The kernel's {@code BTF_MAX_TYPE}: ids are 20 bits wide. */
    public static final int MAX_TYPES = 0xfffff;
    /** Bound on struct nesting for {@link #alignmentOf}: far beyond real code, so deep input fails cleanly. */
    static final int MAX_NESTING = 256;
    /**
     * The kernel's and libbpf's {@code MAX_RESOLVE_DEPTH}: at most this many pointers, modifiers,
     * typedefs, arrays and variables between a type and the type it is built on. Deeper BTF is
     * refused, so that no walk here costs more than this many steps per question asked.
     */
    public static final int MAX_RESOLVE_DEPTH = 32;

    private final List<BtfType> types;
    private final ByteOrder order;
    // Answers already worked out: a DATASEC may list one deep type thousands of times.
    private final Map<Integer, String> names = new ConcurrentHashMap<>();
    private final Map<Integer, Long> sizes = new ConcurrentHashMap<>();
    private final Map<Integer, Integer> alignments = new ConcurrentHashMap<>();

    private Btf(List<BtfType> types, ByteOrder order) {
        this.types = types;
        this.order = order;
    }

    /**
     * A checked BTF of {@code types}, which get ids 1, 2, ... in list order ({@code void} is id 0 and
     * is not in the list).
     *
     * @param order the byte order the types were read in, and {@link BtfWriter} writes by default
     * @throws BtfFormatException if an id names no type, a reference loops, or there are too many types
     */
    public static Btf of(List<? extends BtfType> types, ByteOrder order) {
        Objects.requireNonNull(order, "order");
        if (types.size() > MAX_TYPES) {
            throw new BtfFormatException(types.size() + " types, over the kernel's limit of " + MAX_TYPES);
        }
        List<BtfType> all = new ArrayList<>(types.size() + 1);
        all.add(BtfType.Void.INSTANCE);
        for (BtfType type : types) {
            if (Objects.requireNonNull(type, "type") instanceof BtfType.Void) {
                throw new BtfFormatException("void is type 0 and cannot be listed as type " + all.size());
            }
            all.add(type);
        }
        BtfGraph.check(all);
        return new Btf(List.copyOf(all), order);
    }

    /**
     * Types the running kernel already verified, as it verifies its own BTF at boot
     * ({@code btf_parse_vmlinux}: every reference resolved, no loop), parsed when first asked for:
     * the graph check, and parsing the 100k+ types a load never looks at, are left out. Only for
     * {@code /sys/kernel/btf/vmlinux} and the modules' {@code /sys/kernel/btf/MODULE} on top of it.
     */
    static Btf ofVerifiedByKernel(List<BtfType> types, ByteOrder order) {
        return new Btf(types, order);
    }

    /** The byte order of the input this was read from (the host's for BTF built here). */
    public ByteOrder byteOrder() {
        return order;
    }

    /** Every type indexed by id, {@code void} first. */
    public List<BtfType> types() {
        return types;
    }

    /** The number of type ids, {@code void} included: the largest id is one less. */
    public int size() {
        return types.size();
    }

    /**
     * The type with this id.
     *
     * @throws BtfFormatException if there is none (ids often come from untrusted input)
     */
    public BtfType type(int id) {
        if (id < 0 || id >= types.size()) {
            throw new BtfFormatException("no type id " + Integer.toUnsignedString(id) + " (the last is " + (types.size() - 1) + ")");
        }
        return types.get(id);
    }

    /**
     * The type with this id, which must be of {@code kind}'s class.
     *
     * @throws BtfFormatException if there is none or it is of another kind
     */
    public <T extends BtfType> T type(int id, Class<T> kind) {
        BtfType type = type(id);
        if (!kind.isInstance(type)) {
            throw new BtfFormatException(describe(type, id) + " is not a " + kind.getSimpleName().toUpperCase(java.util.Locale.ROOT));
        }
        return kind.cast(type);
    }

    /** The id reached from {@code id} through typedefs, {@code const}, {@code volatile}, {@code restrict} and type tags. */
    public int resolve(int id) {
        int current = id;
        for (int depth = 0; ; depth++) {
            requireDepth(id, depth);
            // A switch on the kind, not a pattern switch over the sealed BtfType: the first pattern
            // switch of a process spins a $$TypeSwitch class through java.lang.classfile at run time
            // (milliseconds a cold command pays, and that no AOT cache holds); this one is a table.
            BtfType type = type(current);
            switch (type.kind()) {
                case TYPEDEF -> current = ((BtfType.Typedef) type).type();
                case CONST -> current = ((BtfType.Const) type).type();
                case VOLATILE -> current = ((BtfType.Volatile) type).type();
                case RESTRICT -> current = ((BtfType.Restrict) type).type();
                case TYPE_TAG -> current = ((BtfType.TypeTag) type).type();
                default -> {
                    return current;
                }
            }
        }
    }

    /**
     * {@code sizeof} the type in bytes; a VAR's size is its type's.
     *
     * @throws BtfFormatException for a type with no size (void, function, forward declaration) or a size past 2^63
     */
    public long sizeOf(int id) {
        Long known = sizes.get(id);
        if (known != null) {
            return known;
        }
        long size = computeSize(id);
        sizes.put(id, size);
        return size;
    }

    private long computeSize(int id) {
        long count = 1;
        int current = id;
        for (int depth = 0; ; depth++) {
            requireDepth(id, depth);
            BtfType type = type(resolve(current));
            if (type instanceof BtfType.Array a) {
                count = multiply(count, a.length(), id);
                current = a.elementType();
            } else if (type instanceof BtfType.Var v) {
                current = v.type();
            } else {
                return multiply(count, elementSize(type, current), id);
            }
        }
    }

    /**
     * Refuses a walk from {@code id} that has taken more than {@link #MAX_RESOLVE_DEPTH} steps. BTF
     * checked by {@link #of} never gets here; the kernel's own BTF, verified at boot, neither.
     */
    static void requireDepth(int id, int depth) {
        if (depth > MAX_RESOLVE_DEPTH) {
            throw new BtfFormatException("type " + id + " is built on more than " + MAX_RESOLVE_DEPTH
                    + " pointers, modifiers, typedefs and arrays, past the kernel's resolve depth of " + MAX_RESOLVE_DEPTH);
        }
    }

    private static long elementSize(BtfType type, int id) {
        return switch (type.kind()) { // on the kind, not the sealed type: see resolve
            case INT -> ((BtfType.Int) type).size();
            case PTR -> 8;
            case STRUCT -> ((BtfType.Struct) type).size();
            case UNION -> ((BtfType.Union) type).size();
            case ENUM -> ((BtfType.Enum) type).size();
            case ENUM64 -> ((BtfType.Enum64) type).size();
            case FLOAT -> ((BtfType.Float) type).size();
            case DATASEC -> ((BtfType.Datasec) type).size();
            default -> throw new BtfFormatException(describe(type, id) + " has no size");
        };
    }

    private static long multiply(long a, long b, int id) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            throw new BtfFormatException("the size of type " + id + " overflows");
        }
    }

    /**
     * {@code _Alignof} the type as clang lays it out for BPF: scalars up to 8 bytes, aggregates their
     * largest member's, 1 for a packed struct (a member off its natural alignment), as libbpf computes it.
     *
     * @throws BtfFormatException for a type with no alignment, or nesting deeper than 256
     */
    public int alignmentOf(int id) {
        return alignment(id, 0, alignments);
    }

    private int alignment(int id, int depth, Map<Integer, Integer> known) {
        if (depth > MAX_NESTING) {
            throw new BtfFormatException("types nested deeper than " + MAX_NESTING + " at type " + id);
        }
        int current = resolve(id);
        for (int steps = 0; type(current) instanceof BtfType.Array || type(current) instanceof BtfType.Var; steps++) {
            requireDepth(id, steps);
            current = resolve(type(current) instanceof BtfType.Array a ? a.elementType() : ((BtfType.Var) type(current)).type());
        }
        Integer cached = known.get(current);
        if (cached != null) {
            return cached;
        }
        BtfType type = type(current);
        int result = switch (type.kind()) { // on the kind, not the sealed type: see resolve
            case INT -> Math.min(((BtfType.Int) type).size(), 8);
            case PTR -> 8;
            case ENUM -> ((BtfType.Enum) type).size();
            case ENUM64 -> ((BtfType.Enum64) type).size();
            case FLOAT -> Math.min(((BtfType.Float) type).size(), 8);
            case STRUCT -> members(((BtfType.Struct) type).members(), depth, known);
            case UNION -> members(((BtfType.Union) type).members(), depth, known);
            case DATASEC -> {
                int max = 1;
                for (BtfType.VarSecinfo entry : ((BtfType.Datasec) type).entries()) {
                    max = Math.max(max, alignment(entry.type(), depth + 1, known));
                }
                yield max;
            }
            default -> throw new BtfFormatException(describe(type, current) + " has no alignment");
        };
        known.put(current, result);
        return result;
    }

    private int members(List<BtfType.Member> members, int depth, Map<Integer, Integer> known) {
        int max = 1;
        for (BtfType.Member member : members) {
            int alignment = alignment(member.type(), depth + 1, known);
            if (member.bitfieldSize() == 0 && member.bitOffset() % (8 * alignment) != 0) {
                return 1; // a packed struct
            }
            max = Math.max(max, alignment);
        }
        return max;
    }

    /**
     * The C type as a contract spells it: integers by width and sign ({@code __u64}, {@code __s8}
     * for {@code char}), {@code _Bool}, {@code struct tag}, {@code enum tag}, arrays as
     * {@code __u32[8]}; typedefs and qualifiers are seen through, so the same layout reads the
     * same however the C source names it.
     */
    public String cName(int id) {
        String known = names.get(id);
        if (known != null) {
            return known;
        }
        String name = BtfNames.render(this, id);
        names.put(id, name);
        return name;
    }

    /** The id of the first type of {@code kind} named {@code name}. */
    public OptionalInt find(BtfKind kind, String name) {
        for (int id = 1; id < types.size(); id++) {
            BtfType type = types.get(id);
            if (type.kind() == kind && type.name().equals(name)) {
                return OptionalInt.of(id);
            }
        }
        return OptionalInt.empty();
    }

    /** The id of the DATASEC named {@code name} (e.g. {@code .percpu}). */
    public OptionalInt datasecId(String name) {
        return find(BtfKind.DATASEC, name);
    }

    /** The DATASEC named {@code name}. */
    public Optional<BtfType.Datasec> datasec(String name) {
        OptionalInt id = datasecId(name);
        return id.isEmpty() ? Optional.empty() : Optional.of((BtfType.Datasec) types.get(id.getAsInt()));
    }

    /**
     * A copy with the types at the given ids replaced, checked again.
     *
     * @throws BtfFormatException if an id is not a type's, or the result breaks a rule of {@link #of}
     */
    public Btf withTypes(Map<Integer, ? extends BtfType> replacements) {
        List<BtfType> copy = new ArrayList<>(types.subList(1, types.size()));
        replacements.forEach((id, type) -> {
            if (id < 1 || id >= types.size()) {
                throw new BtfFormatException("cannot replace type " + id + ": ids run 1.." + (types.size() - 1));
            }
            copy.set(id - 1, type);
        });
        return of(copy, order);
    }

    /** A copy with the type at {@code id} replaced. */
    public Btf withType(int id, BtfType replacement) {
        return withTypes(Map.of(id, replacement));
    }

    /** E.g. {@code type 28 (DATASEC '.percpu')}, for messages. */
    static String describe(BtfType type, int id) {
        return "type " + id + " (" + type.kind() + (type.name().isEmpty() ? "" : " '" + type.name() + "'") + ")";
    }

    /** Equal when the same types have the same ids, in the same byte order. */
    @Override
    public boolean equals(Object other) {
        return other instanceof Btf that && types.equals(that.types) && order.equals(that.order);
    }

    @Override
    public int hashCode() {
        return types.hashCode() * 31 + order.hashCode();
    }

    @Override
    public String toString() {
        return "Btf[" + (types.size() - 1) + " types, " + order + "]";
    }
}
