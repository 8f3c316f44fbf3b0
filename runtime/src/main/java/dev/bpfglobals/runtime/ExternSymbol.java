package dev.bpfglobals.runtime;

import dev.bpfglobals.runtime.internal.loader.ExternImage;
import java.util.Objects;

/**
 * A symbol the object declares but does not define ({@code extern}), which a loader must resolve
 * against the running kernel, sorted as libbpf's {@code bpf_object__collect_externs} sorts them:
 * by the BTF DATASEC clang put it in ({@code .ksyms} for {@code __ksym}, {@code .kconfig} for
 * {@code __kconfig}) and by its type there.
 *
 * @param name  the symbol's name
 * @param kind  what the loader has to find for it
 * @param cType the C type it is declared with, as {@link dev.bpfglobals.runtime.btf.Btf#cName}
 *              spells it ({@code void} for a typeless {@code __ksym}); empty when the object has no BTF
 * @param weak  declared {@code __weak}: libbpf resolves it to 0 where the kernel lacks it, instead of failing
 */
public record ExternSymbol(String name, Kind kind, String cType, boolean weak) {

    /** What an extern stands for. */
    public enum Kind {
        /** {@code extern const void x __ksym;}: the address of a kernel symbol, which libbpf takes from {@code /proc/kallsyms}. */
        TYPELESS_KSYM,
        /** {@code extern const int x __ksym;}: a kernel variable by its BTF type, which libbpf finds in the kernel's BTF. */
        TYPED_KSYM,
        /** A kernel function the program calls ({@code extern ... __ksym} function, a kfunc). */
        KFUNC,
        /** {@code extern ... __kconfig}: a kernel configuration value ({@code CONFIG_*}, {@code LINUX_KERNEL_VERSION}). */
        KCONFIG,
        /** Any other extern: in neither {@code .ksyms} nor {@code .kconfig}, or in an object without BTF to tell. */
        OTHER
    }

    /** Checks the fields. */
    public ExternSymbol {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(cType, "cType");
    }

    /** The loader's data, as the readers found it; the kinds share their names. */
    static ExternSymbol of(ExternImage e) {
        return new ExternSymbol(e.name(), Kind.valueOf(e.kind().name()), e.cType(), e.weak());
    }
}
