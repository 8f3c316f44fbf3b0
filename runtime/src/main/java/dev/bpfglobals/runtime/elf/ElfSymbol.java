package dev.bpfglobals.runtime.elf;

/**
 * One entry of the symbol table ({@code Elf64_Sym}).
 *
 * @param index        the entry's index, as relocations name it
 * @param name         its name from the symbol string table (empty for most section symbols)
 * @param type         {@code ELF64_ST_TYPE}, e.g. {@link ElfFile#STT_FUNC}
 * @param binding      {@code ELF64_ST_BIND}, e.g. {@link ElfFile#STB_GLOBAL}
 * @param visibility   {@code ELF64_ST_VISIBILITY}, e.g. {@link ElfFile#STV_HIDDEN}
 * @param sectionIndex {@code st_shndx}: the section it is defined in, or {@link ElfFile#SHN_UNDEF} for an extern
 * @param value        {@code st_value}: in a relocatable file, the offset inside its section
 * @param size         {@code st_size}
 */
public record ElfSymbol(int index, String name, int type, int binding, int visibility, int sectionIndex, long value,
        long size) {

    /** Whether this names a section rather than something in it. */
    public boolean isSection() {
        return type == ElfFile.STT_SECTION;
    }

    /** Whether this is a function. */
    public boolean isFunction() {
        return type == ElfFile.STT_FUNC;
    }

    /** Whether this is a data object: a variable or a map. */
    public boolean isObject() {
        return type == ElfFile.STT_OBJECT;
    }

    /** Whether the object only declares the symbol ({@code extern}, kfuncs, kconfig). */
    public boolean isUndefined() {
        return sectionIndex == ElfFile.SHN_UNDEF;
    }

    /** Whether other objects can see the symbol (global or weak binding). */
    public boolean isGlobal() {
        return binding == ElfFile.STB_GLOBAL || binding == ElfFile.STB_WEAK;
    }
}
