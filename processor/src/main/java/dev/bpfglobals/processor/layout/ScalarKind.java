package dev.bpfglobals.processor.layout;

/**
 * The C scalar types a record component can map to, each with everything the generators need:
 * the Java primitive that holds it, its C spelling, its size (which on BPF is also its alignment),
 * whether C reads it as signed, and the {@code java.lang.foreign.ValueLayout} constant that
 * accesses it. Generators dispatch on the kind itself, never on a Java type's name.
 */
public enum ScalarKind {
    /** A Java {@code byte}: a signed 8-bit C integer. */
    S8(byte.class, "__s8", 1, true, "JAVA_BYTE"),
    /** A Java {@code @Unsigned byte}: a unsigned 8-bit C integer. */
    U8(byte.class, "__u8", 1, false, "JAVA_BYTE"),
    /** A Java {@code short}: a signed 16-bit C integer. */
    S16(short.class, "__s16", 2, true, "JAVA_SHORT"),
    /** A Java {@code @Unsigned short}: a unsigned 16-bit C integer. */
    U16(short.class, "__u16", 2, false, "JAVA_SHORT"),
    /** A Java {@code int}: a signed 32-bit C integer. */
    S32(int.class, "__s32", 4, true, "JAVA_INT"),
    /** A Java {@code @Unsigned int}: a unsigned 32-bit C integer. */
    U32(int.class, "__u32", 4, false, "JAVA_INT"),
    /** A Java {@code long}: a signed 64-bit C integer. */
    S64(long.class, "__s64", 8, true, "JAVA_LONG"),
    /** A Java {@code @Unsigned long}: a unsigned 64-bit C integer. */
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

    /** {@return the Java primitive that holds the value ({@code long.class} for both {@code __u64} and {@code __s64})} */
    public Class<?> javaType() {
        return javaType;
    }

    /** {@return the type as the generated header spells it, e.g. {@code __u64}} */
    public String cName() {
        return cName;
    }

    /** {@return the size in bytes; BPF's natural alignment of scalars equals their size} */
    public int size() {
        return size;
    }

    /** {@return whether C reads the value as a signed (two's complement) integer} */
    public boolean signed() {
        return signed;
    }

    /**
     * Whether the value is an integer held in a Java {@code byte/short/int/long}, so that sums over
     * CPUs are arithmetic ({@code boolean} and {@code char} are not summed).
     *
     * @return {@code true} for the eight integer kinds, {@code false} for {@link #BOOL} and {@link #CHAR}
     */
    public boolean integral() {
        return this != BOOL && this != CHAR;
    }

    /**
     * Whether the value is an unsigned C integer held in a signed Java primitive of the same width:
     * the Java value carries its bits, and reading it as unsigned takes {@code toUnsigned...}.
     *
     * @return {@code true} for {@link #U8}, {@link #U16}, {@link #U32} and {@link #U64}
     */
    public boolean unsignedInSignedJava() {
        return integral() && !signed;
    }

    /** {@return the name of the aligned {@code ValueLayout} constant, e.g. {@code JAVA_LONG}, for memory layouts} */
    public String valueLayout() {
        return valueLayout;
    }

    /**
     * The {@code ValueLayout} constant for accesses that may be unaligned, e.g.
     * {@code JAVA_LONG_UNALIGNED}; one byte is always aligned, and {@code ValueLayout} has no
     * unaligned byte constant.
     *
     * @return the constant's name
     */
    public String unalignedValueLayout() {
        return size == 1 ? valueLayout : valueLayout + "_UNALIGNED";
    }
}
