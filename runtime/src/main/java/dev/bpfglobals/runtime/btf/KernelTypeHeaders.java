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

    /**
     * For each type from {@code firstId} on that is named and {@link EssentialNameIndex#mayBeRoot may be a
     * CO-RE root}: marks it in {@code indexed} and puts its essential name's hash
     * ({@link EssentialNameIndex#hash}) in {@code hashes}, both indexed by type id. One pass over the
     * headers and the names' bytes, decoding nothing.
     */
    void essentialNameHashes(int firstId, int[] hashes, boolean[] indexed);
}
