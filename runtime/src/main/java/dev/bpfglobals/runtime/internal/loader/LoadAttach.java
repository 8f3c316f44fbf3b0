package dev.bpfglobals.runtime.internal.loader;

import dev.bpfglobals.runtime.attach.SectionDefinition;
import dev.bpfglobals.runtime.attach.SectionDefinitions;
import dev.bpfglobals.runtime.attach.SectionFlag;
import dev.bpfglobals.runtime.btf.BtfKind;
import dev.bpfglobals.runtime.btf.KernelBtf;
import dev.bpfglobals.runtime.internal.Iterators;
import dev.bpfglobals.runtime.internal.Links;
import dev.bpfglobals.runtime.internal.kernelenv.Lockdown;
import dev.bpfglobals.runtime.kernel.BpfException;
import dev.bpfglobals.runtime.kernel.Errno;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a program is verified for, named by its section's row in {@link SectionDefinitions}:
 * the expected attach type ({@code fentry/} is {@code BPF_TRACE_FENTRY}, {@code cgroup_skb/ingress}
 * is {@code BPF_CGROUP_INET_INGRESS} ...) and, for TRACING programs, the kernel BTF type they attach
 * to ({@code tp_btf/NAME}: the typedef {@code btf_trace_NAME}; {@code fentry/FUNC}, {@code fexit/FUNC},
 * {@code fmod_ret/FUNC}: the FUNC; {@code lsm/HOOK} and {@code lsm_cgroup/HOOK}: the FUNC {@code bpf_lsm_HOOK}; {@code iter/TARGET}: the
 * FUNC {@code bpf_iter_TARGET}), found by name as libbpf's {@code find_kernel_btf_id} finds it: in
 * {@code /sys/kernel/btf/vmlinux} first, then in each loaded module's BTF; {@code fentry/MODULE:FUNC}
 * looks in that module alone ({@code vmlinux:FUNC} in vmlinux alone).
 *
 * @param expectedAttachType {@code enum bpf_attach_type}, 0 where the section names none
 * @param attachBtfId        the BTF id of the target, 0 for programs that are not TRACING
 * @param module             the module whose BTF {@code attachBtfId} is an id of, null for vmlinux
 * @param sleepable          whether the program loads with {@code BPF_F_SLEEPABLE} ({@code lsm.s/}, {@code uprobe.multi.s/})
 */
record LoadAttach(int expectedAttachType, int attachBtfId, String module, boolean sleepable) {

    static final LoadAttach NONE = new LoadAttach(0, 0, null, false);

    LoadAttach(int expectedAttachType, int attachBtfId, String module) {
        this(expectedAttachType, attachBtfId, module, false);
    }

    LoadAttach(int expectedAttachType, int attachBtfId) {
        this(expectedAttachType, attachBtfId, null);
    }
    private static final Path VMLINUX = KernelBtf.VMLINUX;

    /** The attach type and BTF target {@code program}'s section asks for. */
    static LoadAttach of(ProgramImage program) {
        Optional<SectionDefinition> row = SectionDefinitions.find(program.section());
        if (row.isEmpty()) {
            return NONE;
        }
        LoadAttach attach = of(program, row.get());
        return row.get().has(SectionFlag.SLEEPABLE)
                ? new LoadAttach(attach.expectedAttachType(), attach.attachBtfId(), attach.module(), true) : attach;
    }

    private static LoadAttach of(ProgramImage program, SectionDefinition definition) {
        if (definition.has(SectionFlag.NOT_LOADABLE)) {
            throw new UnsupportedOperationException("program '" + program.name() + "' in section '"
                    + program.section() + "': " + definition.prefix() + " programs are not supported yet");
        }
        if (definition.has(SectionFlag.ATTACH_BTF)) {
            // tp_btf/NAME is the typedef btf_trace_NAME; lsm/HOOK the FUNC bpf_lsm_HOOK, iter/TARGET the FUNC
            // bpf_iter_TARGET; fentry/, fexit/, fmod_ret/ name the FUNC itself.
            int attachType = definition.expectedAttachType();
            boolean tracepoint = attachType == Links.TRACE_RAW_TP;
            return tracing(program, attachType, tracepoint ? BtfKind.TYPEDEF : BtfKind.FUNC, targetPrefix(attachType),
                    program.attachTarget());
        }
        return definition.expectedAttachType() == 0 ? NONE : new LoadAttach(definition.expectedAttachType(), 0);
    }

    /** What precedes a section's target in the name of the kernel BTF type it stands for. */
    static String targetPrefix(int attachType) {
        return attachType == Links.TRACE_RAW_TP ? "btf_trace_" : attachType == Links.LSM_MAC || attachType == Links.LSM_CGROUP ? "bpf_lsm_"
                : attachType == Iterators.ATTACH_TYPE ? "bpf_iter_" : "";
    }

    private static LoadAttach tracing(ProgramImage program, int attachType, BtfKind kind, String prefix, String target) {
        if (target.isEmpty()) {
            throw new UnsupportedOperationException("program '" + program.name() + "' in section '" + program.section()
                    + "' names no kernel function or tracepoint; the kernel verifies a TRACING program against its target "
                    + "at load, so name it in the section (e.g. fentry/do_unlinkat, tp_btf/sched_switch)");
        }
        KernelBtf vmlinux = kernelBtf(program);
        // libbpf's "MODULE:FUNC": the target in that module's BTF only.
        int colon = target.indexOf(':');
        String module = colon < 0 ? null : target.substring(0, colon);
        String name = prefix + target.substring(colon + 1);
        if (module == null || module.equals(KernelBtf.VMLINUX_NAME)) {
            OptionalInt id = vmlinux.find(kind, name);
            if (id.isPresent()) {
                return new LoadAttach(attachType, id.getAsInt(), null);
            }
        }
        List<String> modules = KernelBtf.moduleNames();
        if (module == null || !module.equals(KernelBtf.VMLINUX_NAME)) {
            // MODULE:FUNC reads that module's BTF alone; a bare FUNC every loaded module's.
            List<KernelBtf> candidates = module == null ? KernelBtf.modules()
                    : modules.contains(module) ? List.of(KernelBtf.module(module)) : List.of();
            for (KernelBtf candidate : candidates) {
                OptionalInt id = candidate.find(kind, name);
                if (id.isPresent()) {
                    return new LoadAttach(attachType, id.getAsInt(), candidate.module());
                }
            }
        }
        String where = module == null
                ? "the kernel's BTF (" + VMLINUX + ") has no " + kind + " '" + name + "', " + (modules.isEmpty()
                ? "and this kernel exposes no module BTF in " + KernelBtf.DIRECTORY + " (no module loaded, or built without "
                + "CONFIG_DEBUG_INFO_BTF_MODULES), so a target only a module defines is not found until that module is loaded"
                : "nor has any loaded module's (" + KernelBtf.DIRECTORY + ": " + modules + ")")
                : module.equals(KernelBtf.VMLINUX_NAME) ? "the kernel's BTF (" + VMLINUX + ") has no " + kind + " '" + name + "'"
                : modules.contains(module) ? "module " + module + "'s BTF (" + KernelBtf.DIRECTORY.resolve(module) + ") has no "
                + kind + " '" + name + "'"
                : "module '" + module + "' exposes no BTF: it is not loaded, or the kernel has no " + KernelBtf.DIRECTORY.resolve(module)
                + " (modules with BTF: " + modules + ")";
        throw new IllegalArgumentException("program '" + program.name() + "' in section '" + program.section() + "': " + where
                + (prefix.equals("bpf_lsm_") ? " (is '" + target + "' an LSM hook of this kernel? a kernel built without "
                + "CONFIG_BPF_LSM has no bpf_lsm_ functions at all)"
                : prefix.equals("bpf_iter_") ? " (is '" + target + "' an iterator target of this kernel?)"
                : kind == BtfKind.FUNC ? " (inlined or static functions of another name are not attachable)"
                : " (is '" + target + "' a tracepoint of this kernel?)"));
    }

    /**
     * The kernel's refusal of a tracing program's load, explained: {@code EPERM} to a process that may
     * load BPF comes before the verifier runs, from lockdown or another LSM; {@code ENOTSUPP} from a
     * kernel without BPF trampolines.
     */
    static RuntimeException explain(ProgramImage program, BpfException refusal) {
        boolean lsm = program.type() == dev.bpfglobals.runtime.attach.ProgramType.LSM;
        boolean iterator = LoadAttach.of(program).expectedAttachType() == Iterators.ATTACH_TYPE;
        if (refusal.errno() == Errno.EPERM) {
            String refused = lsm ? "BPF LSM programs" : iterator ? "this iterator target" : "BPF trampolines";
            String mode = Lockdown.mode();
            String cause = Lockdown.active()
                    ? "kernel lockdown is '" + mode + "' (" + Lockdown.FILE + "), the likely cause (it or another security "
                    + "module refuses " + refused + " here); boot with lockdown=none, or"
                    : "a security module (LSM) refuses " + refused + " here (" + (mode.isEmpty() ? Lockdown.FILE
                    + " is not readable, as without securityfs mounted" : "lockdown is '" + mode + "'") + ");";
            return new IllegalStateException("program '" + program.name() + "' in section '" + program.section()
                    + "' was refused with EPERM before verification although this process may load BPF (as libbpf's load is): "
                    + cause + (lsm ? " boot a kernel that allows them (bpf in lsm=)"
                    : iterator ? " iterate another target (a kernel may take iter/task and refuse iter/bpf_map_elem)"
                    : " use tp_btf/, tp/ or raw_tp/, which it accepts"), refusal);
        }
        if (refusal.errno() == Errno.ENOTSUPP || refusal.errno() == Errno.EOPNOTSUPP) {
            return new UnsupportedOperationException("program '" + program.name() + "' in section '" + program.section()
                    + "' was refused with " + refusal.errno() + ": this kernel cannot attach " + (lsm ? "LSM programs" : "fentry/fexit/fmod_ret")
                    + " (no BPF trampolines on this architecture or build)" + (lsm ? "" : "; use a kprobe, a tracepoint or tp_btf instead"),
                    refusal);
        }
        return refusal;
    }

    /** The running kernel's BTF, parsed once per process and shared with CO-RE ({@link KernelBtf#running()}). */
    private static KernelBtf kernelBtf(ProgramImage program) {
        if (!Files.isReadable(VMLINUX)) {
            throw new UnsupportedOperationException("program '" + program.name() + "' in section '"
                    + program.section() + "' attaches to a kernel BTF type, but this kernel has no " + VMLINUX
                    + " (built without CONFIG_DEBUG_INFO_BTF); use a kprobe or a tracepoint instead");
        }
        return KernelBtf.running();
    }
}
