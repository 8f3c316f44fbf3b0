/**
 * bpf-globals runtime: binds generated globals to the kernel's BPF maps through Panama FFM.
 * Depends on the JDK alone. Exported: the live API ({@code dev.bpfglobals.runtime}), the kernel's
 * vocabulary and the one fd owner ({@code .kernel}), layout contracts and value types
 * ({@code .contract}) and object specs with their loader ({@code .object}). The FFM bindings
 * ({@code .internal}) and the ELF and BTF readers ({@code .elf}, {@code .btf}) are not exported.
 */
module dev.bpfglobals.runtime {
    exports dev.bpfglobals.runtime;
    exports dev.bpfglobals.runtime.contract;
    exports dev.bpfglobals.runtime.kernel;
    exports dev.bpfglobals.runtime.object;
}
