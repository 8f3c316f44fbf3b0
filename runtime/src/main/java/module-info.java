/**
 * bpf-globals runtime: binds generated globals to the kernel's BPF maps through Panama FFM.
 * Depends on the JDK and the contract module ({@code dev.bpfglobals.contract}: layout contracts,
 * value types, map types and names), which it passes on to its users, since its API takes and
 * returns those types. Exported, three packages: the spec and live API side by side
 * ({@code dev.bpfglobals.runtime}: {@code ObjectSpec} and {@code LoadedObject}, {@code BpfMap},
 * {@code BpfProgram}, the bindings), attaching and the section table ({@code .attach}), and the
 * kernel's vocabulary with the one fd owner ({@code .kernel}: {@code BpfFd}, {@code BpfException},
 * {@code Errno}, {@code MapInfo}), which stays apart because the syscall layer beneath the live API
 * throws and returns it. Not exported: the FFM bindings ({@code .internal}), the kernel-environment
 * readers ({@code .internal.kernelenv}: kallsyms, kconfig, tracefs, perf events, netlink), the
 * loader ({@code .internal.loader}: the ELF-to-spec readers, linking, relocation, CO-RE and the
 * steps of a load, which the spec types wrap) and the ELF and BTF readers ({@code .elf}, {@code .btf}).
 */
module dev.bpfglobals.runtime {
    requires transitive dev.bpfglobals.contract;

    exports dev.bpfglobals.runtime;
    exports dev.bpfglobals.runtime.attach;
    exports dev.bpfglobals.runtime.kernel;
}
