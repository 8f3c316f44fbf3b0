package dev.bpfglobals.runtime.elf;

/**
 * One section header of an ELF64 file ({@code Elf64_Shdr}).
 *
 * @param index     the section's index in the header table
 * @param name      its name from the section name table
 * @param type      {@code sh_type}, e.g. {@link ElfFile#SHT_PROGBITS}
 * @param flags     {@code sh_flags}, e.g. {@link ElfFile#SHF_EXECINSTR}
 * @param offset    where its bytes start in the file (meaningless for NOBITS)
 * @param size      its size in bytes
 * @param link      {@code sh_link}: for a symbol table, its string table; for REL, the symbol table
 * @param info      {@code sh_info}: for REL, the section its entries patch
 * @param alignment {@code sh_addralign}
 * @param entrySize {@code sh_entsize}, for tables of fixed-size entries
 */
public record ElfSection(int index, String name, int type, long flags, long offset, long size, int link, int info,
        long alignment, long entrySize) {

    /** Whether the section holds instructions: a BPF program or subprogram. */
    public boolean isExecutable() {
        return (flags & ElfFile.SHF_EXECINSTR) != 0;
    }

    /** Whether the section occupies no file bytes and reads as zeros ({@code .bss}). */
    public boolean isNoBits() {
        return type == ElfFile.SHT_NOBITS;
    }

    /** Whether the section is loaded into memory ({@code SHF_ALLOC}), as data and code are and debug info is not. */
    public boolean isAllocated() {
        return (flags & ElfFile.SHF_ALLOC) != 0;
    }

    /** Whether the section is writable at run time ({@code SHF_WRITE}): {@code .data} is, {@code .rodata} is not. */
    public boolean isWritable() {
        return (flags & ElfFile.SHF_WRITE) != 0;
    }
}
