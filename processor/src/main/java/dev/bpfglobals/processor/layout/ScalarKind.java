package dev.bpfglobals.processor.layout;

/** The C scalar types a record component can map to, with their size (= natural alignment). */
public enum ScalarKind {
    S8("__s8", 1, "byte", true),
    U8("__u8", 1, "byte", true),
    S16("__s16", 2, "short", true),
    U16("__u16", 2, "short", true),
    S32("__s32", 4, "int", true),
    U32("__u32", 4, "int", true),
    S64("__s64", 8, "long", true),
    U64("__u64", 8, "long", true),
    BOOL("_Bool", 1, "boolean", false),
    /** Java's {@code char}: a UTF-16 code unit, an unsigned 16-bit integer in C. */
    CHAR("__u16", 2, "char", false);

    private final String cName;
    private final int size;
    private final String javaPrimitive;
    private final boolean integral;

    ScalarKind(String cName, int size, String javaPrimitive, boolean integral) {
        this.cName = cName;
        this.size = size;
        this.javaPrimitive = javaPrimitive;
        this.integral = integral;
    }

    /** The type as the generated header spells it. */
    public String cName() {
        return cName;
    }

    /** Size in bytes; BPF's natural alignment of scalars equals their size. */
    public int size() {
        return size;
    }

    /** The Java primitive that holds the value. */
    public String javaPrimitive() {
        return javaPrimitive;
    }

    /** Whether sums over CPUs are arithmetic (boolean and char are not summed). */
    public boolean integral() {
        return integral;
    }

    /** The C kind of a Java integral primitive, signed or unsigned. */
    public static ScalarKind integral(String javaPrimitive, boolean unsigned) {
        return switch (javaPrimitive) {
            case "byte" -> unsigned ? U8 : S8;
            case "short" -> unsigned ? U16 : S16;
            case "int" -> unsigned ? U32 : S32;
            case "long" -> unsigned ? U64 : S64;
            default -> throw new IllegalArgumentException("not an integral primitive: " + javaPrimitive);
        };
    }
}
