package dev.bpfglobals.processor.layout;

/**
 * The C scalar types a record component can map to, each with everything the generators need:
 * the Java primitive that holds it, its C spelling, its size (which on BPF is also its alignment),
 * whether C reads it as signed, and the {@code java.lang.foreign.ValueLayout} constant that
 * accesses it. Generators dispatch on the kind itself, never on a Java type's name.
 */
public enum ScalarKind {
    S8(byte.class, "__s8", 1, true, "JAVA_BYTE"),
    U8(byte.class, "__u8", 1, false, "JAVA_BYTE"),
    S16(short.class, "__s16", 2, true, "JAVA_SHORT"),
    U16(short.class, "__u16", 2, false, "JAVA_SHORT"),
    S32(int.class, "__s32", 4, true, "JAVA_INT"),
    U32(int.class, "__u32", 4, false, "JAVA_INT"),
    S64(long.class, "__s64", 8, true, "JAVA_LONG"),
    U64(long.class, "__u64", 8, false, "JAVA_LONG"),
    /** C's {@code _Bool}: one byte, 0 or 1; Java reads any other byte as {@code true}. */
    BOOL(boolean.class, "_Bool", 1, false, "JAVA_BYTE"),
    /** Java's {@code char}: a UTF-16 code unit, an unsigned 16-bit integer in C. */
    CHAR(char.class, "__u16", 2, false, "JAVA_CHAR");

    private final Class<?> javaType;
    private final String cName;
    private final int size;
    private final boolean signed;
    private final String valueLayout;

    ScalarKind(Class<?> javaType, String cName, int size, boolean signed, String valueLayout) {
        this.javaType = javaType;
        this.cName = cName;
        this.size = size;
        this.signed = signed;
        this.valueLayout = valueLayout;
    }

    /** The Java primitive that holds the value ({@code long.class} for both {@code __u64} and {@code __s64}). */
    public Class<?> javaType() {
        return javaType;
    }

    /** The type as the generated header spells it. */
    public String cName() {
        return cName;
    }

    /** Size in bytes; BPF's natural alignment of scalars equals their size. */
    public int size() {
        return size;
    }

    /** Whether C reads the value as a signed (two's complement) integer. */
    public boolean signed() {
        return signed;
    }

    /**
     * Whether the value is an integer held in a Java {@code byte/short/int/long}, so that sums over
     * CPUs are arithmetic ({@code boolean} and {@code char} are not summed).
     */
    public boolean integral() {
        return this != BOOL && this != CHAR;
    }

    /**
     * Whether the value is an unsigned C integer held in a signed Java primitive of the same width:
     * the Java value carries its bits, and reading it as unsigned takes {@code toUnsigned...}.
     */
    public boolean unsignedInSignedJava() {
        return integral() && !signed;
    }

    /** The aligned {@code ValueLayout} constant, e.g. {@code JAVA_LONG}, for memory layouts. */
    public String valueLayout() {
        return valueLayout;
    }

    /**
     * The {@code ValueLayout} constant for accesses that may be unaligned, e.g.
     * {@code JAVA_LONG_UNALIGNED}; one byte is always aligned, and {@code ValueLayout} has no
     * unaligned byte constant.
     */
    public String unalignedValueLayout() {
        return size == 1 ? valueLayout : valueLayout + "_UNALIGNED";
    }
}
