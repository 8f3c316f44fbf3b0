package dev.bpfglobals.runtime.object;

/**
 * A map declared in the object's BTF-defined {@code .maps} section.
 *
 * @param name       the variable's name
 * @param type       the kernel map type number
 * @param keySize    key size in bytes
 * @param valueSize  value size in bytes
 * @param maxEntries entry count
 * @param flags      creation flags
 */
public record MapSpec(String name, int type, int keySize, int valueSize, int maxEntries, int flags) {
}
