package dev.bpfglobals.runtime.btf;

/**
 * Kernel types whose kind and name can be read from their headers without parsing them: indexing
 * the kernel's 100k+ types by name this way parses none of them.
 */
interface KernelTypeHeaders {

    /** The kind of type {@code id}, from its header. */
    BtfKind kind(int id);

    /** The name of type {@code id}, from its header. */
    String name(int id);
}
