package dev.bpfglobals.runtime.elf;

import dev.bpfglobals.runtime.internal.BoundedStrings;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A relocatable ELF64 file for BPF ({@code e_machine} EM_BPF, {@code e_type} ET_REL), as clang
 * writes it: section headers with names, the symbol table, and REL sections.
 *
 * <p>Little- and big-endian. The input is untrusted: the header is checked, every section's bytes
 * must lie inside the file, every name offset inside its string table, every symbol index inside
 * the symbol table; counts are never believed beyond the bytes that hold them. Every problem ends in
 * one {@link ElfFormatException} naming the section, symbol or offset at fault.
 */
public final class ElfFile {

    /** {@code EM_BPF}: the BPF machine. */
    public static final int EM_BPF = 247;
    /** {@code ET_REL}: a relocatable object, as {@code clang -c} writes. */
    public static final int ET_REL = 1;
    /** Section type: none; section 0, the null section, is of it. */
    public static final int SHT_NULL = 0;
    /** Section type: bytes defined by the program (code, data, BTF). */
    public static final int SHT_PROGBITS = 1;
    /** Section type: the symbol table. */
    public static final int SHT_SYMTAB = 2;
    /** Section type: a string table. */
    public static final int SHT_STRTAB = 3;
    /** Section type: zero-filled, no bytes in the file ({@code .bss}). */
    public static final int SHT_NOBITS = 8;
    /** Section type: relocations without addends. */
    public static final int SHT_REL = 9;
    /** Section flag: writable at run time. */
    public static final long SHF_WRITE = 0x1;
    /** Section flag: occupies memory at run time. */
    public static final long SHF_ALLOC = 0x2;
    /** Section flag: holds instructions. */
    public static final long SHF_EXECINSTR = 0x4;
    /** Symbol type: unspecified (e.g. a branch label). */
    public static final int STT_NOTYPE = 0;
    /** Symbol type: a variable or map. */
    public static final int STT_OBJECT = 1;
    /** Symbol type: a function. */
    public static final int STT_FUNC = 2;
    /** Symbol type: a section itself. */
    public static final int STT_SECTION = 3;
    /** Symbol binding: file-local. */
    public static final int STB_LOCAL = 0;
    /** Symbol binding: global. */
    public static final int STB_GLOBAL = 1;
    /** Symbol binding: weak global. */
    public static final int STB_WEAK = 2;
    /** Symbol visibility: as its binding says. */
    public static final int STV_DEFAULT = 0;
    /** Symbol visibility: hidden from other objects. */
    public static final int STV_HIDDEN = 2;
    /** Section index of an undefined (extern) symbol. */
    public static final int SHN_UNDEF = 0;
    /** First reserved section index (ABS, COMMON, XINDEX, ...). */
    public static final int SHN_LORESERVE = 0xff00;
    /** Section index meaning "the real index is elsewhere" (extended numbering). */
    public static final int SHN_XINDEX = 0xffff;
    /** {@code R_BPF_64_64}: the 64-bit immediate of an {@code ld_imm64} (maps, global data). */
    public static final int R_BPF_64_64 = 1;
    /** {@code R_BPF_64_32}: the 32-bit immediate of a call (bpf-to-bpf calls, kfuncs). */
    public static final int R_BPF_64_32 = 10;

    private static final int HEADER_SIZE = 64;
    private static final int SECTION_HEADER_SIZE = 64;
    private static final int SYMBOL_SIZE = 24;
    private static final int REL_SIZE = 16;

    private final ByteBuffer data;
    private final List<ElfSection> sections;
    private final List<ElfSymbol> symbols;

    private ElfFile(ByteBuffer data) {
        this.data = data;
        this.sections = List.copyOf(readSections());
        this.symbols = List.copyOf(readSymbols());
    }

    /**
     * Parses the headers and symbol table of {@code bytes} (which are not copied: do not change them).
     *
     * @throws ElfFormatException naming the problem, for anything but a well-formed BPF relocatable object
     */
    public static ElfFile read(byte[] bytes) {
        if (bytes.length < HEADER_SIZE) {
            throw new ElfFormatException("only " + bytes.length + " bytes; an ELF64 header alone is " + HEADER_SIZE);
        }
        if (bytes[0] != 0x7f || bytes[1] != 'E' || bytes[2] != 'L' || bytes[3] != 'F') {
            throw new ElfFormatException("no ELF magic (7f 45 4c 46) at the start of the file");
        }
        if (bytes[4] != 2) {
            throw new ElfFormatException("ELF class " + bytes[4] + " is not ELFCLASS64 (2)");
        }
        if (bytes[5] != 1 && bytes[5] != 2) {
            throw new ElfFormatException("ELF data encoding " + bytes[5] + " is neither little (1) nor big (2) endian");
        }
        if (bytes[6] != 1) {
            throw new ElfFormatException("ELF version " + bytes[6] + " is not EV_CURRENT (1)");
        }
        ByteBuffer data = ByteBuffer.wrap(bytes).order(bytes[5] == 1 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        int type = data.getShort(16) & 0xffff;
        int machine = data.getShort(18) & 0xffff;
        if (machine != EM_BPF) {
            throw new ElfFormatException("e_machine " + machine + " is not EM_BPF (247): compile with clang -target bpf");
        }
        if (type != ET_REL) {
            throw new ElfFormatException("e_type " + type + " is not ET_REL (1): a BPF object comes from clang -c, not a linker");
        }
        return new ElfFile(data);
    }

    /** The byte order of the file, and of every multi-byte value in its sections. */
    public ByteOrder byteOrder() {
        return data.order();
    }

    /** Every section, by index; index 0 is the null section. */
    public List<ElfSection> sections() {
        return sections;
    }

    /**
     * The section at {@code index}.
     *
     * @throws ElfFormatException if there is none
     */
    public ElfSection section(int index) {
        if (index < 0 || index >= sections.size()) {
            throw new ElfFormatException("no section " + index + " (the file has " + sections.size() + ")");
        }
        return sections.get(index);
    }

    /** The first section named {@code name}. */
    public Optional<ElfSection> section(String name) {
        return sections.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** Every symbol, by index; index 0 is the null symbol. */
    public List<ElfSymbol> symbols() {
        return symbols;
    }

    /**
     * A read-only view of the bytes of {@code section}, in the file's byte order.
     *
     * @throws ElfFormatException for a NOBITS section, which has no bytes in the file
     */
    public ByteBuffer view(ElfSection section) {
        if (section.isNoBits()) {
            throw new ElfFormatException("section " + section.name() + " is NOBITS: it has no bytes in the file");
        }
        // Bounds were checked when the section headers were read.
        // asReadOnlyBuffer() starts big-endian again, so the order is set last.
        return data.slice((int) section.offset(), (int) section.size()).asReadOnlyBuffer().order(data.order());
    }

    /**
     * A copy of the bytes of {@code section}; zeros for NOBITS, up to {@code maxNoBits} of them.
     *
     * @throws ElfFormatException if a NOBITS section claims more than {@code maxNoBits} bytes
     */
    public byte[] contents(ElfSection section, long maxNoBits) {
        if (section.isNoBits()) {
            if (section.size() > maxNoBits) {
                throw new ElfFormatException("section " + section.name() + " claims " + section.size()
                        + " zero bytes, more than the " + maxNoBits + " allowed");
            }
            return new byte[(int) section.size()];
        }
        byte[] out = new byte[(int) section.size()];
        data.get((int) section.offset(), out);
        return out;
    }

    /**
     * The entries of {@code rel}, a REL section; every symbol index is checked.
     *
     * @throws ElfFormatException if {@code rel} is not a REL section or an entry names no symbol
     */
    public List<ElfRelocation> relocations(ElfSection rel) {
        if (rel.type() != SHT_REL) {
            throw new ElfFormatException("section " + rel.name() + " is of type " + rel.type() + ", not SHT_REL");
        }
        if (rel.size() % REL_SIZE != 0) {
            throw new ElfFormatException("section " + rel.name() + " is " + rel.size() + " bytes, not a whole number of "
                    + REL_SIZE + "-byte entries");
        }
        List<ElfRelocation> out = new ArrayList<>((int) (rel.size() / REL_SIZE));
        for (int i = 0; i < rel.size() / REL_SIZE; i++) {
            int at = (int) rel.offset() + i * REL_SIZE;
            long info = data.getLong(at + 8);
            long symbol = info >>> 32;
            if (symbol >= symbols.size()) {
                throw new ElfFormatException("relocation " + i + " of " + rel.name() + " names symbol " + symbol
                        + ", but the symbol table has " + symbols.size());
            }
            out.add(new ElfRelocation(data.getLong(at), (int) symbol, (int) info));
        }
        return out;
    }

    /** The REL sections whose entries patch {@code target}. */
    public List<ElfSection> relocationSectionsFor(ElfSection target) {
        return sections.stream().filter(s -> s.type() == SHT_REL && s.info() == target.index()).toList();
    }

    private List<ElfSection> readSections() {
        long tableOffset = data.getLong(40);
        int entrySize = data.getShort(58) & 0xffff;
        long count = data.getShort(60) & 0xffff;
        long namesIndex = data.getShort(62) & 0xffff;
        if (tableOffset == 0) {
            throw new ElfFormatException("no section header table (e_shoff is 0)");
        }
        if (entrySize != SECTION_HEADER_SIZE) {
            throw new ElfFormatException("e_shentsize " + entrySize + " is not " + SECTION_HEADER_SIZE);
        }
        range(tableOffset, SECTION_HEADER_SIZE, "section header 0");
        // Section 0 is never range-checked (its size field may hold the section count), so it must be
        // what it stands for: nothing. Of another type, its bogus offset and size would be believed.
        int nullType = data.getInt((int) tableOffset + 4);
        if (nullType != SHT_NULL) {
            throw new ElfFormatException("section 0 is of type " + Integer.toUnsignedString(nullType)
                    + "; the null section must be SHT_NULL (0)");
        }
        // Past 0xff00 sections the real count and name-table index live in section 0's header.
        if (count == 0) {
            count = data.getLong((int) tableOffset + 32);
        }
        if (namesIndex == SHN_XINDEX) {
            namesIndex = Integer.toUnsignedLong(data.getInt((int) tableOffset + 40));
        }
        if (count > (data.capacity() - tableOffset) / SECTION_HEADER_SIZE) {
            throw new ElfFormatException(count + " section headers at offset " + tableOffset + " do not fit in the "
                    + data.capacity() + "-byte file");
        }
        if (namesIndex >= count) {
            throw new ElfFormatException("section name table index " + namesIndex + " is not below the section count " + count);
        }
        int namesHeader = (int) (tableOffset + namesIndex * SECTION_HEADER_SIZE);
        if (data.getInt(namesHeader + 4) != SHT_STRTAB) {
            throw new ElfFormatException("section name table (section " + namesIndex + ") is not a string table");
        }
        BoundedStrings names = strings(data.getLong(namesHeader + 24), data.getLong(namesHeader + 32), "section name table");
        List<ElfSection> out = new ArrayList<>((int) count);
        for (int i = 0; i < count; i++) {
            int at = (int) (tableOffset + (long) i * SECTION_HEADER_SIZE);
            String name = i == 0 ? "" : names.at(Integer.toUnsignedLong(data.getInt(at)), "section " + i);
            ElfSection section = new ElfSection(i, name, data.getInt(at + 4), data.getLong(at + 8), data.getLong(at + 24),
                    data.getLong(at + 32), data.getInt(at + 40), data.getInt(at + 44), data.getLong(at + 48),
                    data.getLong(at + 56));
            if (i > 0 && !section.isNoBits()) {
                range(section.offset(), section.size(), "section " + i + " (" + name + ")");
            }
            out.add(section);
        }
        return out;
    }

    private List<ElfSymbol> readSymbols() {
        List<ElfSection> tables = sections.stream().filter(s -> s.type() == SHT_SYMTAB).toList();
        if (tables.size() != 1) {
            throw new ElfFormatException(tables.isEmpty() ? "no symbol table (SHT_SYMTAB)" : tables.size() + " symbol tables; a BPF object has one");
        }
        ElfSection table = tables.get(0);
        if (table.entrySize() != SYMBOL_SIZE || table.size() % SYMBOL_SIZE != 0) {
            throw new ElfFormatException("symbol table " + table.name() + " has entry size " + table.entrySize() + " and "
                    + table.size() + " bytes; Elf64_Sym entries are " + SYMBOL_SIZE + " bytes");
        }
        if (table.link() <= 0 || table.link() >= sections.size() || sections.get(table.link()).type() != SHT_STRTAB) {
            throw new ElfFormatException("symbol table links to section " + table.link() + ", which is not a string table");
        }
        ElfSection stringTable = sections.get(table.link());
        BoundedStrings names = strings(stringTable.offset(), stringTable.size(), "symbol string table");
        int count = (int) (table.size() / SYMBOL_SIZE);
        List<ElfSymbol> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int at = (int) table.offset() + i * SYMBOL_SIZE;
            int info = data.get(at + 4) & 0xff;
            long nameOffset = Integer.toUnsignedLong(data.getInt(at));
            String name = nameOffset == 0 ? "" : names.nameOf("symbol", i, nameOffset);
            out.add(new ElfSymbol(i, name, info & 0xf, info >>> 4, data.get(at + 5) & 0x3, data.getShort(at + 6) & 0xffff,
                    data.getLong(at + 8), data.getLong(at + 16)));
        }
        return out;
    }

    private BoundedStrings strings(long offset, long size, String what) {
        range(offset, size, what);
        return new BoundedStrings(data, (int) offset, (int) size, what, ElfFormatException::new);
    }

    /** Checks that {@code size} bytes at {@code offset} lie inside the file. */
    private void range(long offset, long size, String what) {
        if (offset < 0 || size < 0 || offset > data.capacity() || size > data.capacity() - offset) {
            throw new ElfFormatException(what + " at offset " + Long.toUnsignedString(offset) + " with "
                    + Long.toUnsignedString(size) + " bytes lies outside the " + data.capacity() + "-byte file");
        }
    }
}
