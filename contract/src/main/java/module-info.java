/**
 * bpf-globals contract: what a record's generated accessor, its contract file and a BPF object
 * must agree on, and how to tell where they do not. Depends on the JDK alone, without FFM, so the
 * processor can write contracts without the runtime on its path; the runtime requires it
 * transitively, since its API speaks in these types.
 */
module dev.bpfglobals.contract {
    exports dev.bpfglobals.contract;
}
