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

/**
 * The USDT probes of an ELF executable or shared library, read from its {@code .note.stapsdt}
 * notes as libbpf's {@code usdt.c} reads them: each {@code NT_STAPSDT} note (owner {@code stapsdt})
 * holds the probe's address, the link-time address of {@code .stapsdt.base}, its semaphore's
 * address, then provider, name and argument specs as strings. Where prelink moved the file, the
 * section {@code .stapsdt.base} now sits elsewhere than the note says, and every address moves by
 * the same amount. Addresses become file offsets through the program header that loads them (the
 * executable one for the probe), which is what a uprobe and its {@code ref_ctr_offset} take.
 * Only 64-bit little-endian files are read (x86-64); the file is mapped, not copied.
 */
public final class StapsdtNotes {

    /**
     * One probe of the file.
     *
     * @param provider         the provider, e.g. {@code hotspot}
     * @param name             the probe's name, e.g. {@code gc__begin}
     * @param address          the probed instruction's virtual address in the file, prelink undone
     * @param fileOffset       where that instruction is in the file: the uprobe's offset
     * @param semaphoreOffset  where its semaphore is in the file (the uprobe's {@code ref_ctr_offset}), 0 for none
     * @param arguments        the argument specs, e.g. {@code -4@%edi 8@-64(%rbp)}
     */
    public record Probe(String provider, String name, long address, long fileOffset, long semaphoreOffset, String arguments) {
    }

    private static final int SHT_NOTE = 7;
    private static final int ET_EXEC = 2;
    private static final int NT_STAPSDT = 3;
    private static final int PT_LOAD = 1;
    private static final int PF_X = 1;
    /** A note's strings are capped, so that a hostile file cannot make one name allocate without bound. */
    private static final int MAX_STRING = 4096;

    private StapsdtNotes() {
    }

    /**
     * Every USDT probe of {@code binary}, in the order of its notes.
     *
     * @throws IllegalArgumentException naming the file, when it is not a readable 64-bit little-endian
     *                                  ELF file or a note is malformed or points outside every segment
     */
    public static List<Probe> read(Path binary) {
        ByteBuffer elf;
        try (FileChannel file = FileChannel.open(binary, StandardOpenOption.READ)) {
            elf = file.map(FileChannel.MapMode.READ_ONLY, 0, file.size());
        } catch (IOException e) {
            throw new IllegalArgumentException(binary + ": cannot read the file (" + e + ")", e);
        }
        if (elf.limit() < 64 || elf.getInt(0) != 0x7f454c46 || elf.get(4) != 2 || elf.get(5) != 1) {
            throw new IllegalArgumentException(binary + ": not a 64-bit little-endian ELF executable or library");
        }
        elf.order(ByteOrder.LITTLE_ENDIAN);
        try {
            return probes(elf, binary);
        } catch (IndexOutOfBoundsException | ArithmeticException e) {
            throw new IllegalArgumentException(binary + ": its section, program or note headers run past its end", e);
        }
    }

    /**
     * Whether {@code binary} is loaded at the addresses it was linked for ({@code ET_EXEC}), so that
     * a probe's address is also where it runs, in every process; a shared library or a PIE
     * ({@code ET_DYN}) runs wherever each process mapped it.
     *
     * @throws IllegalArgumentException naming the file, when it cannot be read
     */
    public static boolean isFixedAddress(Path binary) {
        try (FileChannel file = FileChannel.open(binary, StandardOpenOption.READ)) {
            ByteBuffer header = ByteBuffer.allocate(18).order(ByteOrder.LITTLE_ENDIAN);
            file.read(header, 0);
            return header.position() == 18 && header.getShort(16) == ET_EXEC;
        } catch (IOException e) {
            throw new IllegalArgumentException(binary + ": cannot read the file (" + e + ")", e);
        }
    }

    private static List<Probe> probes(ByteBuffer elf, Path binary) {
        long sectionTable = elf.getLong(0x28);
        int sectionSize = elf.getShort(0x3a) & 0xffff;
        int sectionCount = elf.getShort(0x3c) & 0xffff;
        int namesHeader = header(sectionTable, sectionSize, elf.getShort(0x3e) & 0xffff);
        long names = elf.getLong(namesHeader + 24);
        long base = 0;
        List<int[]> notes = new ArrayList<>();
        for (int i = 0; i < sectionCount; i++) {
            int header = header(sectionTable, sectionSize, i);
            String name = string(elf, names + (elf.getInt(header) & 0xffffffffL), binary);
            if (name.equals(".stapsdt.base")) {
                base = elf.getLong(header + 16);
            } else if (name.equals(".note.stapsdt") && elf.getInt(header + 4) == SHT_NOTE) {
                notes.add(new int[] {Math.toIntExact(elf.getLong(header + 24)), Math.toIntExact(elf.getLong(header + 32))});
            }
        }
        List<long[]> segments = segments(elf);
        List<Probe> probes = new ArrayList<>();
        for (int[] section : notes) {
            int at = section[0];
            int end = Math.addExact(section[0], section[1]);
            while (at + 12 <= end) {
                int nameSize = elf.getInt(at);
                int descSize = elf.getInt(at + 4);
                int type = elf.getInt(at + 8);
                int desc = Math.addExact(at + 12, align4(nameSize));
                int next = Math.addExact(desc, align4(descSize));
                if (nameSize < 0 || descSize < 0 || next > end) {
                    throw new IllegalArgumentException(binary + ": a .note.stapsdt note at file offset 0x"
                            + Integer.toHexString(at) + " runs past its section");
                }
                if (type == NT_STAPSDT && nameSize == 8 && string(elf, at + 12, binary).equals("stapsdt")) {
                    probes.add(probe(elf, desc, descSize, base, segments, binary));
                }
                at = next;
            }
        }
        return probes;
    }

    private static Probe probe(ByteBuffer elf, int desc, int descSize, long base, List<long[]> segments, Path binary) {
        if (descSize < 27) {
            throw new IllegalArgumentException(binary + ": a stapsdt note at file offset 0x" + Integer.toHexString(desc)
                    + " is " + descSize + " bytes, too short for three addresses and three strings");
        }
        long location = elf.getLong(desc);
        long noteBase = elf.getLong(desc + 8);
        long semaphore = elf.getLong(desc + 16);
        String provider = string(elf, desc + 24, binary);
        int nameAt = desc + 24 + provider.getBytes(StandardCharsets.UTF_8).length + 1;
        String name = string(elf, nameAt, binary);
        int argumentsAt = nameAt + name.getBytes(StandardCharsets.UTF_8).length + 1;
        String arguments = argumentsAt < desc + descSize ? string(elf, argumentsAt, binary) : "";
        // Prelink moved the image by as much as .stapsdt.base moved since the note was written.
        long shift = base != 0 && noteBase != 0 ? base - noteBase : 0;
        long address = location + shift;
        String what = binary + ": USDT probe " + provider + ":" + name;
        long fileOffset = fileOffset(segments, address, true)
                .orElseThrow(() -> new IllegalArgumentException(what + " is at 0x" + Long.toHexString(address)
                        + ", in no executable segment of the file"));
        long semaphoreOffset = semaphore == 0 ? 0 : fileOffset(segments, semaphore + shift, false)
                .orElseThrow(() -> new IllegalArgumentException(what + " has its semaphore at 0x"
                        + Long.toHexString(semaphore + shift) + ", in no loaded segment of the file"));
        return new Probe(provider, name, address, fileOffset, semaphoreOffset, arguments);
    }

    /** Each loadable segment as {vaddr, memsz, offset, executable}. */
    private static List<long[]> segments(ByteBuffer elf) {
        long table = elf.getLong(0x20);
        int size = elf.getShort(0x36) & 0xffff;
        int count = elf.getShort(0x38) & 0xffff;
        List<long[]> segments = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int header = header(table, size, i);
            if (elf.getInt(header) == PT_LOAD) {
                segments.add(new long[] {elf.getLong(header + 16), elf.getLong(header + 40), elf.getLong(header + 8),
                        elf.getInt(header + 4) & PF_X});
            }
        }
        return segments;
    }

    private static java.util.OptionalLong fileOffset(List<long[]> segments, long address, boolean executable) {
        for (long[] segment : segments) {
            if ((!executable || segment[3] != 0) && address >= segment[0] && address - segment[0] < segment[1]) {
                return java.util.OptionalLong.of(address - segment[0] + segment[2]);
            }
        }
        return java.util.OptionalLong.empty();
    }

    private static int header(long table, int entrySize, int index) {
        return Math.toIntExact(table + (long) index * entrySize);
    }

    private static int align4(int size) {
        return (size + 3) & ~3;
    }

    private static String string(ByteBuffer elf, long offset, Path binary) {
        int start = Math.toIntExact(offset);
        int end = start;
        while (elf.get(end) != 0) {
            if (++end - start > MAX_STRING) {
                throw new IllegalArgumentException(binary + ": a string at file offset 0x" + Integer.toHexString(start)
                        + " runs longer than " + MAX_STRING + " bytes");
            }
        }
        byte[] bytes = new byte[end - start];
        elf.get(start, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
