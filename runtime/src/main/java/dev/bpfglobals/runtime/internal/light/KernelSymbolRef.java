package dev.bpfglobals.runtime.internal.light;

import java.util.Objects;

/**
 * A reference of a program to a kernel symbol by its BTF id ({@code __ksym} variables and kfuncs),
 * which the loader program finds by name with {@code bpf_btf_find_by_name_kind} when it runs, as
 * gen_loader does: the id goes into the instruction's immediate; a module's BTF object descriptor
 * into the {@code ld_imm64}'s second half (a variable) or into an {@code fd_array} slot the call's
 * offset names (a kfunc), closed again once the program is loaded.
 *
 * @param instruction the instruction's index: a {@code BPF_PSEUDO_KFUNC_CALL} call, or an
 *                    {@code ld_imm64} with {@code BPF_PSEUDO_BTF_ID}
 * @param name        the symbol's name
 * @param btfKind     {@code BTF_KIND_FUNC} (12) or {@code BTF_KIND_VAR} (14)
 * @param call        whether the instruction is a call (else an {@code ld_imm64})
 */
public record KernelSymbolRef(int instruction, String name, int btfKind, boolean call) {

    /** {@code BTF_KIND_VAR}: a typed {@code __ksym} variable. */
    public static final int KIND_VAR = 14;

    /** Checks the name. */
    public KernelSymbolRef {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.length() > 127) {
            throw new IllegalArgumentException("kernel symbol name must have 1 to 127 characters: '" + name + "'");
        }
    }

    /** {@return the symbol as an error names it, e.g. {@code FUNC 'bpf_task_acquire'}} */
    public String describe() {
        return (btfKind == AttachTarget.KIND_FUNC ? "FUNC" : btfKind == KIND_VAR ? "VAR" : "kind " + btfKind) + " '" + name + "'";
    }
}
