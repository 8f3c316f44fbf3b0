package dev.bpfglobals.runtime.btf;

/**
 * The kinds of CO-RE relocation clang records in {@code .BTF.ext} ({@code enum bpf_core_relo_kind}),
 * in their numeric order.
 */
public enum CoreKind {
    /** {@code bpf_core_field_offset}, and every {@code BPF_CORE_READ} of a member. */
    FIELD_BYTE_OFFSET("field byte offset"),
    /** {@code bpf_core_field_size}. */
    FIELD_BYTE_SIZE("field byte size"),
    /** {@code bpf_core_field_exists}. */
    FIELD_EXISTS("field exists"),
    /** Whether the field is a signed integer or enum (for {@code BPF_CORE_READ_BITFIELD}). */
    FIELD_SIGNED("field signed"),
    /** The left shift that brings a bitfield's top bit to bit 63 of a 64-bit load. */
    FIELD_LSHIFT_U64("field lshift u64"),
    /** The right shift that then brings the bitfield down to bit 0. */
    FIELD_RSHIFT_U64("field rshift u64"),
    /** {@code bpf_core_type_id_local}: the type's id in the object's BTF. */
    TYPE_ID_LOCAL("local type id"),
    /** {@code bpf_core_type_id_kernel}: the matching type's id in the kernel's BTF. */
    TYPE_ID_TARGET("target type id"),
    /** {@code bpf_core_type_exists}. */
    TYPE_EXISTS("type exists"),
    /** {@code bpf_core_type_size}. */
    TYPE_SIZE("type size"),
    /** {@code bpf_core_enum_value_exists}. */
    ENUMVAL_EXISTS("enum value exists"),
    /** {@code bpf_core_enum_value}. */
    ENUMVAL_VALUE("enum value"),
    /** {@code bpf_core_type_matches} (clang 15 and later emit it). */
    TYPE_MATCHES("type matches");

    private static final CoreKind[] BY_NUMBER = values();

    private final String words;

    CoreKind(String words) {
        this.words = words;
    }

    /**
     * The kind with {@code bpf_core_relo_kind} number {@code number}.
     *
     * @throws IllegalArgumentException for a number no clang emits
     */
    public static CoreKind of(int number) {
        if (number < 0 || number >= BY_NUMBER.length) {
            throw new IllegalArgumentException("CO-RE relocation kind " + number + " is unknown");
        }
        return BY_NUMBER[number];
    }

    /** Whether the relocation is about a member or array element reached from a type. */
    public boolean isField() {
        return ordinal() <= FIELD_RSHIFT_U64.ordinal();
    }

    /** Whether the relocation is about a type as a whole. */
    public boolean isType() {
        return this == TYPE_ID_LOCAL || this == TYPE_ID_TARGET || this == TYPE_EXISTS || this == TYPE_SIZE
                || this == TYPE_MATCHES;
    }

    /** Whether the relocation is about an enumerator. */
    public boolean isEnumValue() {
        return this == ENUMVAL_EXISTS || this == ENUMVAL_VALUE;
    }

    /** The kind in words, e.g. {@code field byte offset}. */
    @Override
    public String toString() {
        return words;
    }
}
