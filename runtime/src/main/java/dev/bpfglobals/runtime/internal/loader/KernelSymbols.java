package dev.bpfglobals.runtime.internal.loader;

import dev.bpfglobals.runtime.btf.Btf;
import dev.bpfglobals.runtime.btf.BtfKind;
import dev.bpfglobals.runtime.btf.BtfType;
import dev.bpfglobals.runtime.btf.KernelBtf;
import dev.bpfglobals.runtime.internal.kernelenv.Kallsyms;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Typed {@code __ksym} variables and kfuncs, found in the running kernel's BTF as libbpf's
 * {@code bpf_object__resolve_ksym_var_btf_id} and {@code bpf_object__resolve_ksym_func_btf_id} find
 * them: a VAR or FUNC of the extern's name in vmlinux, else in the first loaded module's BTF that
 * has one ({@code find_ksym_btf_id}), whose type is compatible with the object's declaration
 * ({@code bpf_core_types_are_compat}; for a kfunc, its prototype's). The ids are the running
 * kernel's: a custom BTF file given for CO-RE does not change them.
 */
final class KernelSymbols {

    /**
     * Where a kernel symbol's BTF lives.
     *
     * @param id     its VAR's or FUNC's BTF id
     * @param module the module whose BTF object {@code id} is an id of, null for vmlinux
     */
    record Target(int id, String module) {
    }

    private final ObjectImage object;
    private final Map<String, java.util.Optional<Target>> resolved = new HashMap<>();
    private KernelBtf kernel;
    private Kallsyms kallsyms;

    KernelSymbols(ObjectImage object) {
        this.object = object;
    }

    /**
     * The vmlinux BTF id of {@code extern} (a typed ksym's VAR, a kfunc's FUNC), or empty for a
     * {@code __weak} one the kernel lacks (or a weak kfunc it declares with another prototype), as
     * libbpf leaves them unresolved.
     *
     * @throws IllegalStateException naming the symbol, for a strong one the kernel lacks or types otherwise
     */
    java.util.Optional<Target> btfId(String program, ExternImage extern) {
        java.util.Optional<Target> known = resolved.get(extern.name());
        if (known == null) {
            known = resolve(program, extern);
            resolved.put(extern.name(), known);
        }
        return known;
    }

    private java.util.Optional<Target> resolve(String program, ExternImage extern) {
        boolean function = extern.kind() == ExternImage.Kind.KFUNC;
        BtfKind kind = function ? BtfKind.FUNC : BtfKind.VAR;
        String what = "program '" + program + "' refers to " + extern.declaredAs() + " '" + extern.name() + "'";
        if (!Files.isReadable(KernelBtf.VMLINUX)) {
            throw new UnsupportedOperationException(what + ", which is found in the kernel's BTF, but this kernel has no "
                    + KernelBtf.VMLINUX + " (built without CONFIG_DEBUG_INFO_BTF); use a typeless __ksym (extern const void "
                    + extern.name() + " __ksym;) or a BPF helper instead");
        }
        if (kernel == null) {
            kernel = KernelBtf.running();
        }
        KernelBtf in = kernel;
        OptionalInt target = kernel.find(kind, extern.name());
        if (target.isEmpty()) {
            // libbpf's find_ksym_btf_id: vmlinux first, then each module's own types.
            for (KernelBtf module : KernelBtf.modules()) {
                target = module.find(kind, extern.name());
                if (target.isPresent()) {
                    in = module;
                    break;
                }
            }
        }
        if (target.isEmpty()) {
            if (extern.weak()) {
                return java.util.Optional.empty();
            }
            java.util.List<String> modules = KernelBtf.moduleNames();
            throw new IllegalStateException(what + ", but the kernel's BTF (" + KernelBtf.VMLINUX + ") has no " + kind + " '"
                    + extern.name() + "'" + (function ? " (kfuncs come and go between kernels; this one lacks it)" : "")
                    + (modules.isEmpty() ? ", and this kernel exposes no module BTF in " + KernelBtf.DIRECTORY
                    + " (a symbol only a module defines is found once that module is loaded)"
                    : ", nor has any loaded module's (" + modules + ")") + "; declare it __weak "
                    + "to load without it" + (function ? " and guard the call with bpf_ksym_exists()" : " (it is then NULL)"));
        }
        Btf local = object.btf().orElseThrow();
        int localType = localType(local, extern.name(), function);
        int targetType = kernelType(in.btf().type(target.getAsInt()));
        if (!in.compatible(local, localType, targetType)) {
            if (function && extern.weak()) {
                return java.util.Optional.empty(); // libbpf leaves an incompatible weak kfunc unresolved (a variable fails)
            }
            throw new IllegalStateException(what + " declared as " + (function ? "a function of prototype " : "")
                    + local.cName(localType) + ", which is not compatible with the kernel's " + kind + " '" + extern.name()
                    + "' (BTF id " + target.getAsInt() + (in.isModule() ? " of module " + in.module() : "") + ", of type " + in.btf().cName(targetType) + "); declare it with "
                    + "the kernel's type, e.g. from a vmlinux.h of this kernel");
        }
        if (!function && !inKallsyms(extern)) {
            if (extern.weak()) {
                return java.util.Optional.empty(); // libbpf would hand it to the kernel, which fails the load; NULL keeps it loadable
            }
            throw new IllegalStateException(what + ", which the kernel's BTF types but " + Kallsyms.PROC_KALLSYMS
                    + " does not list, and the kernel finds a typed ksym's address there by name: this kernel lists "
                    + "variables only with CONFIG_KALLSYMS_ALL (libbpf's load fails here too, with ENOENT); use a kernel "
                    + "built with CONFIG_KALLSYMS_ALL=y, or declare it __weak to load with it NULL");
        }
        return java.util.Optional.of(new Target(target.getAsInt(), in.isModule() ? in.module() : null));
    }

    /**
     * The verifier's refusal of a call of a {@code __weak} kfunc this kernel lacks, which
     * {@link Relocator} poisoned as libbpf does, explained by name; empty for any other refusal.
     */
    static java.util.Optional<RuntimeException> explainPoisonedCall(dev.bpfglobals.runtime.kernel.BpfException refusal,
                                                                    String program, ObjectImage object) {
        java.util.regex.Matcher call = POISONED_CALL.matcher(String.valueOf(refusal.getMessage()));
        if (!call.find()) {
            return java.util.Optional.empty();
        }
        int index = Integer.parseInt(call.group(1)) - Relocator.POISON_KFUNC_CALL;
        String name = index >= 0 && index < object.externs().size() ? object.externs().get(index).name() : "#" + index;
        return java.util.Optional.of(new IllegalStateException("program '" + program + "' calls __weak kfunc '" + name
                + "', which this kernel lacks, on a path the verifier cannot rule out (the call was poisoned, as libbpf "
                + "poisons it); guard it with if (bpf_ksym_exists(" + name + ")) so the verifier sees it dead here", refusal));
    }

    /** {@code unknown#2002000000 + index}, as the verifier names a poisoned kfunc call it reached. */
    private static final java.util.regex.Pattern POISONED_CALL = java.util.regex.Pattern.compile("unknown#(2002\\d{6})");

    /** Whether the kernel can find {@code extern}'s address by name, as {@code check_pseudo_btf_id} does. */
    private boolean inKallsyms(ExternImage extern) {
        if (kallsyms == null) {
            java.util.Set<String> names = new java.util.HashSet<>();
            object.externs().stream().filter(e -> e.kind() == ExternImage.Kind.TYPED_KSYM).forEach(e -> names.add(e.name()));
            kallsyms = Kallsyms.read(Kallsyms.PROC_KALLSYMS, names);
        }
        return kallsyms.addresses().containsKey(extern.name());
    }

    /** The type the object declares a ksym with: a VAR's type, a FUNC's prototype. */
    private static int localType(Btf local, String name, boolean function) {
        BtfType.Datasec ksyms = local.datasec(ExternsReader.KSYMS).orElseThrow();
        for (BtfType.VarSecinfo entry : ksyms.entries()) {
            BtfType type = local.type(entry.type());
            if (type.name().equals(name)) {
                switch (type) {
                    case BtfType.Var var when !function -> {
                        return var.type();
                    }
                    case BtfType.Func func when function -> {
                        return func.type();
                    }
                    default -> {
                    }
                }
            }
        }
        throw new IllegalStateException("the object's .ksyms DATASEC lists no " + (function ? "FUNC" : "VAR") + " '" + name + "'");
    }

    private static int kernelType(BtfType type) {
        return switch (type) {
            case BtfType.Var var -> var.type();
            case BtfType.Func func -> func.type();
            default -> throw new IllegalStateException("kernel BTF type " + type + " is neither a VAR nor a FUNC");
        };
    }
}
