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

    /** Whether type {@code id} has a name: its name offset is not 0, the empty string's. */
    boolean named(int id);

    /** The hash of type {@code id}'s essential name ({@link EssentialNameIndex#hash}), from its bytes. */
    int essentialNameHash(int id);
}
