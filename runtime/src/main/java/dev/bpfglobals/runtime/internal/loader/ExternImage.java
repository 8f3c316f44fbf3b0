package dev.bpfglobals.runtime.internal.loader;

import java.util.Objects;

/**
 * A symbol the object declares but does not define: the loader's data behind the public
 * {@code ExternSymbol}, whose kinds {@link Kind} mirrors name for name.
 *
 * @param name  the symbol's name
 * @param kind  what the loader has to find for it
 * @param cType the C type it is declared with ({@code void} for a typeless {@code __ksym}); empty without BTF
 * @param weak  declared {@code __weak}: resolved to 0 where the kernel lacks it
 */
public record ExternImage(String name, Kind kind, String cType, boolean weak) {

    /** What an extern stands for; the names are those of {@code ExternSymbol.Kind}. */
    public enum Kind {
        /** A typeless {@code __ksym}: an address from {@code /proc/kallsyms}. */
        TYPELESS_KSYM,
        /** A typed {@code __ksym}: a kernel variable found by its BTF type. */
        TYPED_KSYM,
        /** A kernel function the program calls (a kfunc). */
        KFUNC,
        /** A {@code __kconfig} value. */
        KCONFIG,
        /** Any other extern. */
        OTHER
    }

    /** Checks the fields. */
    public ExternImage {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(cType, "cType");
    }

    /** {@return how a declaration of this kind reads in C, for messages} */
    public String declaredAs() {
        return switch (kind) {
            case TYPELESS_KSYM -> "typeless __ksym";
            case TYPED_KSYM -> "typed __ksym";
            case KFUNC -> "__ksym function (kfunc)";
            case KCONFIG -> "__kconfig";
            case OTHER -> "extern";
        };
    }
}
