package dev.bpfglobals.runtime.btf;

/** The kinds of BTF type, with the numbers {@code BTF_KIND_*} gives them in {@code <linux/btf.h>}. */
public enum BtfKind {
    VOID(0),
    INT(1),
    PTR(2),
    ARRAY(3),
    STRUCT(4),
    UNION(5),
    ENUM(6),
    FWD(7),
    TYPEDEF(8),
    VOLATILE(9),
    CONST(10),
    RESTRICT(11),
    FUNC(12),
    FUNC_PROTO(13),
    VAR(14),
    DATASEC(15),
    FLOAT(16),
    DECL_TAG(17),
    TYPE_TAG(18),
    ENUM64(19);

    private static final BtfKind[] BY_NUMBER = values();

    private final int number;

    BtfKind(int number) {
        this.number = number;
    }

    /** The kind's number in a type's {@code info} word. */
    public int number() {
        return number;
    }

    /** The kind with this number, or {@code null} for a number this reader does not know. */
    static BtfKind of(int number) {
        return number >= 0 && number < BY_NUMBER.length ? BY_NUMBER[number] : null;
    }

    /** Whether a type of this kind only qualifies or renames another: typedef, const, volatile, restrict, type tag. */
    public boolean isModifier() {
        return this == TYPEDEF || this == VOLATILE || this == CONST || this == RESTRICT || this == TYPE_TAG;
    }
}
