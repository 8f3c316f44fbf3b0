package dev.bpfglobals.runtime.elf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Where a function of an ELF executable or shared library starts in its file, as libbpf's
 * {@code elf_find_func_offset} finds it for a uprobe: the function's symbol in {@code .symtab} or
 * {@code .dynsym} (a stripped library keeps only the latter), its virtual address made a file offset
 * through the section that holds it ({@code st_value - sh_addr + sh_offset}). Only 64-bit ELF files
 * are read; the file is mapped, not copied.
 */
public final class ElfFunctions {

    private static final int SHT_SYMTAB = 2;
    private static final int SHT_DYNSYM = 11;
    private static final int STT_FUNC = 2;
    /** {@code STT_GNU_IFUNC}: glibc picks the implementation at load, and the symbol is its resolver's. */
    private static final int STT_GNU_IFUNC = 10;
    private static final int SHN_UNDEF = 0;
    private static final int SHN_LORESERVE = 0xff00;

    private ElfFunctions() {
    }

    /**
     * The file offset of function {@code function} in {@code binary}.
     *
     * @throws IllegalArgumentException naming the file and function, when the file is not a readable
     *                                  64-bit ELF file, lacks the function, or defines it at several places
     */
    public static long offsetOf(Path binary, String function) {
        String what = "function '" + function + "' in " + binary;
        ByteBuffer elf = map(binary, what);
        TreeSet<Long> offsets = new TreeSet<>();
        boolean sawSymbols = walk(elf, what, (table, name, offset) -> {
            if (nameIs(elf, name, function)) {
                offsets.add(offset);
            }
        });
        if (offsets.isEmpty()) {
            throw new IllegalArgumentException(what + ": " + (sawSymbols ? "no function of that name in its .symtab or .dynsym"
                    : "the file has no symbol table (.symtab or .dynsym)") + "; give a function it defines, or attach by offset");
        }
        if (offsets.size() > 1) {
            List<String> hex = new ArrayList<>();
            offsets.forEach(o -> hex.add("0x" + Long.toHexString(o)));
            throw new IllegalArgumentException(what + ": defined at several file offsets " + hex
                    + ", so it is ambiguous, as libbpf also finds it; attach by offset");
        }
        return offsets.first();
    }

    /**
     * The functions of {@code binary} whose names {@code wanted} accepts, each name with its file
     * offset, in name order, as libbpf's {@code elf_resolve_pattern_offsets} finds them for a
     * uprobe_multi pattern: from {@code .symtab}, and from {@code .dynsym} only where
     * {@code .symtab} had none (a name both tables list counts once).
     *
     * @throws IllegalArgumentException naming the file when it is not a readable 64-bit ELF file
     */
    public static SortedMap<String, Long> matching(Path binary, Predicate<String> wanted) {
        String what = "functions of " + binary;
        ByteBuffer elf = map(binary, what);
        SortedMap<String, Long> symtab = new TreeMap<>();
        SortedMap<String, Long> dynsym = new TreeMap<>();
        walk(elf, what, (table, name, offset) -> {
            String decoded = nameAt(elf, name);
            if (wanted.test(decoded)) {
                (table == SHT_SYMTAB ? symtab : dynsym).putIfAbsent(decoded, offset);
            }
        });
        return symtab.isEmpty() ? dynsym : symtab;
    }

    private static ByteBuffer map(Path binary, String what) {
        ByteBuffer elf;
        try (FileChannel file = FileChannel.open(binary, StandardOpenOption.READ)) {
            elf = file.map(FileChannel.MapMode.READ_ONLY, 0, file.size());
        } catch (IOException e) {
            throw new IllegalArgumentException(what + ": cannot read the file (" + e + ")", e);
        }
        if (elf.limit() < 64 || elf.getInt(0) != 0x7f454c46 || elf.get(4) != 2) {
            throw new IllegalArgumentException(what + ": the file is not a 64-bit ELF executable or library");
        }
        return elf.order(elf.get(5) == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
    }

    /** Called for each defined function symbol: its table's type, where its name starts, its file offset. */
    private interface FunctionVisitor {
        void visit(int table, long nameOffset, long fileOffset);
    }

    /** Visits every defined function of both symbol tables; whether the file has either table. */
    private static boolean walk(ByteBuffer elf, String what, FunctionVisitor visitor) {
        try {
            return walkTables(elf, visitor);
        } catch (IndexOutOfBoundsException e) {
            throw new IllegalArgumentException(what + ": the file's section or symbol tables run past its end", e);
        }
    }

    private static boolean walkTables(ByteBuffer elf, FunctionVisitor visitor) {
        long sectionTable = elf.getLong(0x28);
        int entrySize = elf.getShort(0x3a) & 0xffff;
        int count = elf.getShort(0x3c) & 0xffff;
        boolean sawSymbols = false;
        for (int i = 0; i < count; i++) {
            int header = Math.toIntExact(sectionTable + (long) i * entrySize);
            int type = elf.getInt(header + 4);
            if (type != SHT_SYMTAB && type != SHT_DYNSYM) {
                continue;
            }
            sawSymbols = true;
            int strings = Math.toIntExact(sectionHeader(elf, sectionTable, entrySize, elf.getInt(header + 40)));
            long stringsOffset = elf.getLong(strings + 24);
            long symbols = elf.getLong(header + 24);
            long size = elf.getLong(header + 32);
            long symbolSize = elf.getLong(header + 56);
            for (long at = symbols + symbolSize; at + symbolSize <= symbols + size; at += symbolSize) {
                int symbol = Math.toIntExact(at);
                int kind = elf.get(symbol + 4) & 0xf;
                int section = elf.getShort(symbol + 6) & 0xffff;
                if ((kind != STT_FUNC && kind != STT_GNU_IFUNC) || section == SHN_UNDEF || section >= SHN_LORESERVE) {
                    continue;
                }
                int holder = Math.toIntExact(sectionHeader(elf, sectionTable, entrySize, section));
                visitor.visit(type, stringsOffset + (elf.getInt(symbol) & 0xffffffffL),
                        elf.getLong(symbol + 8) - elf.getLong(holder + 16) + elf.getLong(holder + 24));
            }
        }
        return sawSymbols;
    }

    private static long sectionHeader(ByteBuffer elf, long table, int entrySize, int index) {
        return table + (long) index * entrySize;
    }

    private static String nameAt(ByteBuffer elf, long offset) {
        int start = Math.toIntExact(offset);
        int end = start;
        while (elf.get(end) != 0) {
            end++;
        }
        byte[] name = new byte[end - start];
        elf.get(start, name);
        return new String(name, StandardCharsets.UTF_8);
    }

    private static boolean nameIs(ByteBuffer elf, long offset, String name) {
        byte[] wanted = name.getBytes(StandardCharsets.UTF_8);
        int at = Math.toIntExact(offset);
        for (int i = 0; i < wanted.length; i++) {
            if (elf.get(at + i) != wanted[i]) {
                return false;
            }
        }
        return elf.get(at + wanted.length) == 0;
    }
}
