/**
 * bpf-globals runtime: binds generated globals to the kernel's BPF maps through Panama FFM.
 * Depends on the JDK and the contract module ({@code dev.bpfglobals.contract}: layout contracts,
 * value types, map types and names), which it passes on to its users, since its API takes and
 * returns those types. Exported: the live API ({@code dev.bpfglobals.runtime}), attaching and the
 * section table ({@code .attach}), the kernel's
 * vocabulary and the one fd owner ({@code .kernel}) and object specs with their loader
 * ({@code .object}). The FFM bindings ({@code .internal}) and the ELF and BTF readers
 * ({@code .elf}, {@code .btf}) are not exported.
 */
module dev.bpfglobals.runtime {
    requires transitive dev.bpfglobals.contract;

    exports dev.bpfglobals.runtime;
    exports dev.bpfglobals.runtime.attach;
    exports dev.bpfglobals.runtime.kernel;
}
