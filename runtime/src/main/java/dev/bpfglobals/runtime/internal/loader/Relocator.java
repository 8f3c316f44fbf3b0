package dev.bpfglobals.runtime.internal.loader;

import dev.bpfglobals.contract.MapNames;
import dev.bpfglobals.contract.SectionContract;
import dev.bpfglobals.runtime.internal.kernelenv.Kallsyms;
import dev.bpfglobals.runtime.internal.kernelenv.ModuleBtfObjects;
import dev.bpfglobals.runtime.internal.light.AttachTarget;
import dev.bpfglobals.runtime.internal.light.KernelSymbolRef;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Resolves a program's references to maps and global variables into kernel fds. */
final class Relocator {

    private static final int PSEUDO_MAP_FD = Instructions.PSEUDO_MAP_FD;
    private static final int PSEUDO_MAP_VALUE = Instructions.PSEUDO_MAP_VALUE;
    /** {@code BPF_PSEUDO_MAP_IDX}: the immediate is an index into the load's {@code fd_array}. */
    private static final int PSEUDO_MAP_IDX = 5;
    /** {@code BPF_PSEUDO_MAP_IDX_VALUE}: an address in the value of the map at that {@code fd_array} index. */
    private static final int PSEUDO_MAP_IDX_VALUE = 6;
    /** libbpf's {@code POISON_CALL_KFUNC_BASE}: a call of helper BASE + extern index stands for a weak kfunc the kernel lacks. */
    static final int POISON_KFUNC_CALL = 2002000000;

    private final ObjectImage object;
    private final LoadedMaps maps;
    private final LoaderSettings settings;
    /** The addresses of the object's typeless ksyms, read when a program first needs one. */
    private Kallsyms kallsyms;
    /** Where each __kconfig extern lives in the .kconfig map. */
    private KconfigMap kconfig;
    /** Typed ksyms and kfuncs, found in the kernel's BTF when a program first needs one. */
    private KernelSymbols kernelSymbols;

    /** The module BTF objects typed ksyms and kfuncs of modules are named by, open while the load runs. */
    private final ModuleBtfObjects modules;

    /** The light mode's map indices by name (compat names too): references become {@code BPF_PSEUDO_MAP_IDX[_VALUE]}; null for fds. */
    private final Map<String, Integer> mapIndices;
    /** Light mode: the kernel symbols the last relocated program names by BTF id, for its loader to find by name. */
    private final List<KernelSymbolRef> lightSymbols = new java.util.ArrayList<>();

    Relocator(ObjectImage object, LoadedMaps maps, LoaderSettings settings, ModuleBtfObjects modules) {
        this(object, maps, settings, modules, null);
    }

    /** A relocator for a light load, naming each map by its index among the loader's maps rather than by a descriptor. */
    Relocator(ObjectImage object, LoadedMaps maps, LoaderSettings settings, ModuleBtfObjects modules, Map<String, Integer> mapIndices) {
        this.object = object;
        this.maps = maps;
        this.settings = settings;
        this.modules = modules;
        this.mapIndices = mapIndices;
    }

    /** The immediate naming map {@code name}: its index in light mode, else its descriptor. */
    private int mapRef(String name) {
        if (mapIndices == null) {
            return maps.fd(name).value();
        }
        Integer index = mapIndices.get(name);
        if (index == null) {
            throw new IllegalStateException("no map named '" + name + "' in this object");
        }
        return index;
    }

    /**
     * The variable a global-data reference points into: its symbol, or for a reference through the
     * section symbol (static variables) the variable covering the offset, so errors name what the C names.
     */
    private String variableAt(Relocation reference) {
        if (!reference.symbol().equals(reference.section())) {
            return reference.symbol();
        }
        return object.globalSection(reference.section()).flatMap(s -> s.variables().stream()
                        .filter(v -> v.offset() <= reference.offset() && reference.offset() < v.end()).findFirst())
                .map(VariableImage::name).orElse(reference.symbol() + "+" + reference.offset());
    }

    /** The program's instructions with every map and global-data reference pointing at a kernel map (CO-RE is {@link CoreRelocator}'s). */
    long[] relocate(LinkedProgram linked) {
        ProgramImage program = linked.spec();
        long[] insns = linked.instructions();
        lightSymbols.clear();
        for (Relocation reference : linked.relocations()) {
            int index = reference.instruction();
            switch (reference.kind()) {
                case MAP -> patch(insns, index, mapIndices == null ? PSEUDO_MAP_FD : PSEUDO_MAP_IDX, mapRef(reference.symbol()));
                case GLOBAL_DATA -> {
                    String section = reference.section();
                    if (SectionImage.isPerCpu(section) && !settings.nativePercpuGlobals()) {
                        String variable = variableAt(reference);
                        throw new IllegalStateException("program '" + program.name() + "' accesses the " + section + " variable '"
                                + variable + "' directly, but this kernel has no native .percpu access ("
                                + settings.nativePercpuAnswer()
                                + "); compile the program with -DBPF_GLOBALS_COMPAT and use BPF_PERCPU(" + variable + ")"
                                + (section.equals(SectionContract.PERCPU) ? "" : ", reaching " + section + " through a map named '"
                                        + MapNames.percpuCompatOf(section) + "' of its shape (PERCPU_ARRAY, key 4, value "
                                        + object.globalSection(section).map(SectionImage::size).orElse(0) + ", 1 entry)"));
                    }
                    patch(insns, index, mapIndices == null ? PSEUDO_MAP_VALUE : PSEUDO_MAP_IDX_VALUE, mapRef(section));
                    insns[index + 1] = Instructions.withImm(insns[index + 1], (int) reference.offset());
                }
                case ARENA_DATA -> ArenaRelocation.patch(program, reference, insns, maps, object, mapIndices != null);
                case EXTERN -> {
                    ExternImage extern = object.extern(reference.symbol())
                            .orElseGet(() -> new ExternImage(reference.symbol(), ExternImage.Kind.OTHER, "", false));
                    if (extern.kind() == ExternImage.Kind.KCONFIG) {
                        // libbpf: the address of the extern's value in the .kconfig map, whatever offset clang left.
                        patch(insns, index, mapIndices == null ? PSEUDO_MAP_VALUE : PSEUDO_MAP_IDX_VALUE, mapRef(KconfigMap.SECTION));
                        insns[index + 1] = Instructions.withImm(insns[index + 1], kconfigOffset(extern));
                        continue;
                    }
                    if (extern.kind() == ExternImage.Kind.KFUNC || extern.kind() == ExternImage.Kind.TYPED_KSYM) {
                        kernelSymbol(program, extern, insns, index);
                        continue;
                    }
                    if (extern.kind() != ExternImage.Kind.TYPELESS_KSYM) {
                        throw new UnsupportedOperationException("program '" + program.name() + "' refers to "
                                + extern.declaredAs() + " '" + extern.name() + "', which the object declares but does not "
                                + "define and is neither a __ksym nor a __kconfig extern, so no kernel can give it a value; "
                                + "define it in the object, or leave the program out with ObjectSpec.withAutoload(\""
                                + program.name() + "\", false)");
                    }
                    // libbpf: a typeless ksym is a plain 64-bit immediate holding the symbol's address.
                    long address = ksymAddress(program, extern);
                    insns[index] = Instructions.withImm(Instructions.withSrc(insns[index], 0), (int) address);
                    insns[index + 1] = Instructions.withImm(insns[index + 1], (int) (address >>> 32));
                }
                default -> throw new UnsupportedOperationException("program '" + program.name() + "' refers to '"
                        + reference.symbol() + "' (" + reference.kind() + (reference.section().isEmpty() ? "" : " in section '"
                        + reference.section() + "', which is neither .maps nor a global-data section this loader maps")
                        + "); this loader cannot resolve it");
            }
        }
        return insns;
    }

    /**
     * Points {@code insns[index]} at a kernel symbol by its BTF id, as libbpf's
     * {@code bpf_program__relocate} does: a kfunc call gets {@code BPF_PSEUDO_KFUNC_CALL}, the FUNC's
     * id and offset 0 for vmlinux, or for a module's kfunc the index of the module's BTF object in
     * {@code fd_array}; an {@code ld_imm64} of a typed ksym (or of a kfunc's address, for
     * {@code bpf_ksym_exists}) gets {@code BPF_PSEUDO_BTF_ID}, the id, and in its second half the BTF
     * object fd: 0 for vmlinux, the module's BTF object fd for a module's.
     * A {@code __weak} symbol the kernel lacks loads as 0, and a call of it as libbpf's poisoned call,
     * which the verifier accepts only on a path it proves dead.
     */
    private void kernelSymbol(ProgramImage program, ExternImage extern, long[] insns, int index) {
        if (kernelSymbols == null) {
            kernelSymbols = new KernelSymbols(object);
        }
        java.util.Optional<KernelSymbols.Target> id = kernelSymbols.btfId(program.name(), extern);
        String module = id.map(KernelSymbols.Target::module).orElse(null);
        boolean call = Instructions.opcode(insns[index]) == Instructions.CALL;
        if (call && extern.kind() != ExternImage.Kind.KFUNC) {
            throw new IllegalStateException("program '" + program.name() + "' calls " + extern.declaredAs() + " '"
                    + extern.name() + "', which is not a function");
        }
        if (mapIndices != null && id.isPresent()) {
            // Light: the loader finds the id (and a module's BTF) by name when it runs; checked here against this kernel.
            insns[index] = call ? Instructions.of(Instructions.CALL, 0, Instructions.PSEUDO_KFUNC_CALL, 0, 0)
                    : Instructions.withImm(Instructions.withSrc(insns[index], Instructions.PSEUDO_BTF_ID), 0);
            if (!call) {
                insns[index + 1] = Instructions.withImm(insns[index + 1], 0);
            }
            lightSymbols.add(new KernelSymbolRef(index, extern.name(),
                    extern.kind() == ExternImage.Kind.KFUNC ? AttachTarget.KIND_FUNC : KernelSymbolRef.KIND_VAR, call));
            return;
        }
        if (call) {
            insns[index] = id.isPresent()
                    ? Instructions.of(Instructions.CALL, 0, Instructions.PSEUDO_KFUNC_CALL,
                    module == null ? 0 : modules.fdArrayIndex(module), id.get().id())
                    : Instructions.of(Instructions.CALL, 0, 0, 0, POISON_KFUNC_CALL + object.externs().indexOf(extern));
            return;
        }
        insns[index] = id.isPresent()
                ? Instructions.withImm(Instructions.withSrc(insns[index], Instructions.PSEUDO_BTF_ID), id.get().id())
                : Instructions.withImm(insns[index], 0);
        // The BTF object fd (0 for vmlinux, and the high half of a missing weak symbol's 0); the fd stays open until loaded.
        insns[index + 1] = Instructions.withImm(insns[index + 1], module == null ? 0 : modules.fd(module).value());
    }

    /** {@return light mode: the kernel symbols the last {@link #relocate} left for the loader to find} */
    List<KernelSymbolRef> lightSymbols() {
        return List.copyOf(lightSymbols);
    }

    /**
     * The address of typeless {@code __ksym} {@code extern} from {@code /proc/kallsyms}, or 0 for a
     * {@code __weak} one the kernel lacks, as libbpf resolves it. The file is read once per load, for
     * every typeless ksym the object declares. Unlike libbpf, which resolves every extern before any
     * program and fails the load on a strong one it cannot find, this resolves what loaded programs use.
     */
    private long ksymAddress(ProgramImage program, ExternImage extern) {
        String what = "program '" + program.name() + "' refers to typeless __ksym '" + extern.name() + "'";
        if (kallsyms == null) {
            Set<String> names = new HashSet<>();
            object.externs().stream().filter(e -> e.kind() == ExternImage.Kind.TYPELESS_KSYM)
                    .forEach(e -> names.add(e.name()));
            try {
                kallsyms = Kallsyms.read(Kallsyms.PROC_KALLSYMS, names);
            } catch (java.io.UncheckedIOException e) {
                throw new IllegalStateException(what + ", whose address comes from " + Kallsyms.PROC_KALLSYMS + ", and "
                        + e.getMessage(), e);
            }
        }
        List<Long> addresses = kallsyms.addresses().getOrDefault(extern.name(), List.of());
        if (addresses.isEmpty()) {
            if (extern.weak()) {
                return 0;
            }
            throw new IllegalStateException(what + ", which " + Kallsyms.PROC_KALLSYMS + " does not list on this kernel "
                    + "(data symbols appear there only with CONFIG_KALLSYMS_ALL); declare it __weak to get 0 where it is missing");
        }
        if (addresses.size() > 1) {
            throw new IllegalStateException(what + ", which " + Kallsyms.PROC_KALLSYMS + " lists at " + addresses.size()
                    + " addresses (" + addresses.stream().map(a -> "0x" + Long.toHexString(a)).collect(Collectors.joining(", "))
                    + "), so it is ambiguous, as libbpf also finds it; refer to a symbol the kernel defines once");
        }
        if (addresses.get(0) == 0) {
            throw new IllegalStateException(what + ", whose address " + Kallsyms.PROC_KALLSYMS + " shows this process as 0: "
                    + "kernel.kptr_restrict hides kernel addresses (they need CAP_SYSLOG, and kptr_restrict below 2)");
        }
        return addresses.get(0);
    }

    private int kconfigOffset(ExternImage extern) {
        if (kconfig == null) {
            kconfig = KconfigMap.of(object).orElseThrow();
        }
        return kconfig.offsetOf(extern.name()).orElseThrow();
    }

    /** Sets the source register and immediate of {@code insns[index]}, keeping opcode, dst and offset. */
    private static void patch(long[] insns, int index, int source, int fd) {
        long low = insns[index] & 0xffff0fffL;
        insns[index] = low | ((long) source << 12) | ((long) fd << 32);
    }
}
