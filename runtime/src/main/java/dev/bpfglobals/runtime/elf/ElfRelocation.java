package dev.bpfglobals.runtime.elf;

/**
 * One entry of a REL section ({@code Elf64_Rel}).
 *
 * @param offset byte offset in the patched section of the place to fix up
 * @param symbol index of the symbol it refers to
 * @param type   {@code ELF64_R_TYPE}, e.g. {@link ElfFile#R_BPF_64_64} for a 64-bit load
 */
public record ElfRelocation(long offset, int symbol, int type) {
}
