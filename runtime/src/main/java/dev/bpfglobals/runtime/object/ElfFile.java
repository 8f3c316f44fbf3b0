package dev.bpfglobals.runtime.object;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The parts of an ELF64 relocatable BPF object the reader needs: section headers with names, and
 * the symbol table. Little- and big-endian; every offset and count is checked against the file.
 */
final class ElfFile {

    static final int EM_BPF = 247;
    static final int SHT_SYMTAB = 2;
    static final int SHT_NOBITS = 8;
    static final int SHT_REL = 9;
    static final long SHF_EXECINSTR = 0x4;

    /** One section header. */
    record Section(int index, String name, int type, long flags, long offset, long size, int link, int info) {
    }

    /** One REL entry: the byte offset patched in the target section, and the symbol it refers to. */
    record Relocation(long offset, int symbolIndex, int type) {
    }

    /** One symbol of the symbol table. */
    record Symbol(String name, int type, int binding, int sectionIndex, long value, long size) {
        static final int STT_OBJECT = 1;
    }

    private final ByteBuffer data;
    private final List<Section> sections = new ArrayList<>();
    private final List<Symbol> symbols = new ArrayList<>();

    private ElfFile(byte[] bytes) {
        if (bytes.length < 64) {
            throw new BpfFormatException("only " + bytes.length + " bytes; an ELF64 header alone is 64");
        }
        if (bytes[0] != 0x7f || bytes[1] != 'E' || bytes[2] != 'L' || bytes[3] != 'F') {
            throw new BpfFormatException("no ELF magic at the start of the file");
        }
        if (bytes[4] != 2) {
            throw new BpfFormatException("ELF class " + bytes[4] + " is not ELFCLASS64");
        }
        if (bytes[5] != 1 && bytes[5] != 2) {
            throw new BpfFormatException("ELF data encoding " + bytes[5] + " is neither little nor big endian");
        }
        data = ByteBuffer.wrap(bytes).order(bytes[5] == 1 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        int machine = data.getShort(18) & 0xffff;
        if (machine != EM_BPF) {
            throw new BpfFormatException("e_machine " + machine + " is not EM_BPF (247): compile with clang -target bpf");
        }
        readSections();
        readSymbols();
    }

    static ElfFile parse(byte[] bytes) {
        return new ElfFile(bytes);
    }

    List<Section> sections() {
        return sections;
    }

    List<Symbol> symbols() {
        return symbols;
    }

    ByteOrder order() {
        return data.order();
    }

    /** The bytes of {@code section}: zeros for NOBITS sections such as .bss. */
    byte[] contents(Section section) {
        if (section.size() > Integer.MAX_VALUE - 8) {
            throw new BpfFormatException("section " + section.name() + " claims " + section.size() + " bytes");
        }
        if (section.type() == SHT_NOBITS) {
            if (section.size() > 64L * 1024 * 1024) {
                throw new BpfFormatException("section " + section.name() + " claims " + section.size() + " zero bytes");
            }
            return new byte[(int) section.size()];
        }
        int start = range(section.offset(), section.size(), "section " + section.name());
        byte[] out = new byte[(int) section.size()];
        data.get(start, out);
        return out;
    }

    /** The REL entries of {@code rel}, a section of type SHT_REL. */
    List<Relocation> relocations(Section rel) {
        int base = range(rel.offset(), rel.size(), "relocation section " + rel.name());
        List<Relocation> out = new ArrayList<>();
        for (long i = 0; i < rel.size() / 16; i++) {
            int at = base + (int) (i * 16);
            long info = data.getLong(at + 8);
            int symbol = (int) (info >>> 32);
            if (symbol < 0 || symbol >= symbols.size()) {
                throw new BpfFormatException("relocation " + i + " of " + rel.name() + " names symbol " + symbol
                        + " of " + symbols.size());
            }
            out.add(new Relocation(data.getLong(at), symbol, (int) info));
        }
        return out;
    }

    private void readSections() {
        long shoff = data.getLong(40);
        int entrySize = data.getShort(58) & 0xffff;
        int count = data.getShort(60) & 0xffff;
        int namesIndex = data.getShort(62) & 0xffff;
        if (count == 0) {
            throw new BpfFormatException("no section headers");
        }
        if (entrySize != 64) {
            throw new BpfFormatException("section header size " + entrySize + " is not 64");
        }
        int base = range(shoff, (long) count * 64, "section header table");
        if (namesIndex >= count) {
            throw new BpfFormatException("section name table index " + namesIndex + " >= section count " + count);
        }
        long namesOffset = data.getLong(base + namesIndex * 64 + 24);
        long namesSize = data.getLong(base + namesIndex * 64 + 32);
        int names = range(namesOffset, namesSize, "section name table");
        for (int i = 0; i < count; i++) {
            int at = base + i * 64;
            String name = string(names, namesSize, Integer.toUnsignedLong(data.getInt(at)), "section " + i + " name");
            sections.add(new Section(i, name, data.getInt(at + 4), data.getLong(at + 8), data.getLong(at + 24),
                    data.getLong(at + 32), data.getInt(at + 40), data.getInt(at + 44)));
        }
    }

    private void readSymbols() {
        Section symtab = sections.stream().filter(s -> s.type() == SHT_SYMTAB).findFirst()
                .orElseThrow(() -> new BpfFormatException("no symbol table (SHT_SYMTAB)"));
        if (symtab.link() < 0 || symtab.link() >= sections.size()) {
            throw new BpfFormatException("symbol table links to section " + symtab.link() + ", which does not exist");
        }
        Section strtab = sections.get(symtab.link());
        int strings = range(strtab.offset(), strtab.size(), "symbol string table");
        int base = range(symtab.offset(), symtab.size(), "symbol table");
        long count = symtab.size() / 24;
        for (int i = 0; i < count; i++) {
            int at = base + i * 24;
            int info = data.get(at + 4) & 0xff;
            String name = string(strings, strtab.size(), Integer.toUnsignedLong(data.getInt(at)), "symbol " + i + " name");
            symbols.add(new Symbol(name, info & 0xf, info >> 4, data.getShort(at + 6) & 0xffff,
                    data.getLong(at + 8), data.getLong(at + 16)));
        }
    }

    /** {@code offset} as an int after checking that {@code size} bytes from it lie inside the file. */
    private int range(long offset, long size, String what) {
        if (offset < 0 || size < 0 || offset > data.capacity() || size > data.capacity() - offset) {
            throw new BpfFormatException(what + " at offset " + offset + " with " + size + " bytes lies outside the "
                    + data.capacity() + "-byte file");
        }
        return (int) offset;
    }

    private String string(int tableStart, long tableSize, long offset, String what) {
        if (offset >= tableSize) {
            throw new BpfFormatException(what + ": string offset " + offset + " outside its " + tableSize + "-byte table");
        }
        int start = tableStart + (int) offset;
        int end = start;
        int limit = tableStart + (int) tableSize;
        while (end < limit && data.get(end) != 0) {
            end++;
        }
        byte[] bytes = new byte[end - start];
        data.get(start, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
