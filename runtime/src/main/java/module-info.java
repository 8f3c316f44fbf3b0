/**
 * bpf-globals runtime: binds generated globals to the kernel's BPF maps through Panama FFM.
 * Depends on the JDK alone; the FFM bindings in {@code dev.bpfglobals.runtime.internal} are not exported.
 */
module dev.bpfglobals.runtime {
    exports dev.bpfglobals.runtime;
    exports dev.bpfglobals.runtime.contract;
    exports dev.bpfglobals.runtime.btf;
    exports dev.bpfglobals.runtime.elf;
    exports dev.bpfglobals.runtime.object;
}
