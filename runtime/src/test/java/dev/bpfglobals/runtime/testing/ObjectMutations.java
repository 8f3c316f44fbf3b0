package dev.bpfglobals.runtime.testing;

import dev.bpfglobals.runtime.elf.ElfFile;
import dev.bpfglobals.runtime.elf.ElfSection;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Structure-aware mutations of a valid BPF object: each knows where the ELF header, section headers,
 * symbols, relocations, BTF types and instructions lie in the original, and breaks one of them the
 * way a truncated download, a bit flip or a hostile file would: truncation, wrong class or machine,
 * out-of-range offsets and sizes, huge counts, BTF reference loops, bad call targets, random bytes.
 */
public final class ObjectMutations implements ObjectFuzzer.Mutator {

    /** Every mutation this class makes, by name. */
    public static final List<String> NAMES = List.of("truncate", "elf-identity", "elf-header", "section-header",
            "symbol", "relocation", "btf-header", "btf-type", "btf-loop", "btf-ext", "instruction", "string-table",
            "random-bytes", "splice");

    /** Where things are in one valid object, found once; a BTF type is {start, kind, size in bytes, id}. */
    private record Layout(ElfFile elf, List<int[]> btfTypes, long headerTable) {
    }

    private final Map<byte[], Layout> layouts = new IdentityHashMap<>();

    @Override
    public synchronized Result mutate(byte[] valid, Random random) {
        Layout layout = layouts.computeIfAbsent(valid, ObjectMutations::layout);
        byte[] bytes = valid.clone();
        Writer out = new Writer(bytes, layout.elf().byteOrder(), random);
        String name = NAMES.get(random.nextInt(NAMES.size()));
        switch (name) {
            case "truncate" -> {
                return new Result(name, Arrays.copyOf(bytes, random.nextInt(bytes.length)));
            }
            case "elf-identity" -> {
                switch (random.nextInt(5)) {
                    case 0 -> bytes[4] = (byte) random.nextInt(4); // class
                    case 1 -> bytes[5] = (byte) random.nextInt(4); // data encoding
                    case 2 -> bytes[6] = (byte) random.nextInt(3); // version
                    case 3 -> out.put(16, 2, random.nextInt(5)); // e_type
                    default -> out.put(18, 2, random.nextBoolean() ? 62 : random.nextInt(0x10000)); // e_machine
                }
            }
            case "elf-header" -> {
                int[][] fields = {{40, 8}, {58, 2}, {60, 2}, {62, 2}, {52, 2}};
                int[] field = fields[random.nextInt(fields.length)];
                out.interesting(field[0], field[1]);
            }
            case "section-header" -> {
                ElfSection section = pick(layout.elf().sections(), random);
                int[][] fields = {{0, 4}, {4, 4}, {8, 8}, {24, 8}, {32, 8}, {40, 4}, {44, 4}, {48, 8}, {56, 8}};
                int[] field = fields[random.nextInt(fields.length)];
                out.interesting(sectionHeader(layout, section.index()) + field[0], field[1]);
            }
            case "symbol" -> {
                ElfSection symtab = layout.elf().sections().stream().filter(s -> s.type() == ElfFile.SHT_SYMTAB).findFirst().orElseThrow();
                int symbol = random.nextInt((int) (symtab.size() / 24));
                int[][] fields = {{0, 4}, {4, 1}, {5, 1}, {6, 2}, {8, 8}, {16, 8}};
                int[] field = fields[random.nextInt(fields.length)];
                out.interesting((int) symtab.offset() + symbol * 24 + field[0], field[1]);
            }
            case "relocation" -> {
                List<ElfSection> rels = layout.elf().sections().stream().filter(s -> s.type() == ElfFile.SHT_REL && s.size() >= 16).toList();
                if (rels.isEmpty()) {
                    randomBytes(bytes, random);
                    break;
                }
                ElfSection rel = pick(rels, random);
                int entry = random.nextInt((int) (rel.size() / 16));
                int[][] fields = {{0, 8}, {8, 4}, {12, 4}};
                int[] field = fields[random.nextInt(fields.length)];
                // In a little-endian file the symbol index is the upper half of r_info, at +12; big-endian: +8.
                out.interesting((int) rel.offset() + entry * 16 + field[0], field[1]);
            }
            case "btf-header" -> section(layout, ".BTF").ifPresentOrElse(
                    btf -> out.interesting((int) btf.offset() + 4 * (1 + random.nextInt(5)), 4), () -> randomBytes(bytes, random));
            case "btf-type" -> {
                if (layout.btfTypes().isEmpty()) {
                    randomBytes(bytes, random);
                } else {
                    int[] type = pick(layout.btfTypes(), random);
                    out.interesting(type[0] + 4 * random.nextInt(Math.min(6, type[2] / 4)), 4);
                }
            }
            case "btf-loop" -> loop(layout, out, random);
            case "btf-ext" -> section(layout, ".BTF.ext").ifPresentOrElse(
                    ext -> out.interesting((int) ext.offset() + 4 * random.nextInt((int) ext.size() / 4), 4), () -> randomBytes(bytes, random));
            case "instruction" -> {
                List<ElfSection> code = layout.elf().sections().stream().filter(s -> s.isExecutable() && s.size() >= 8).toList();
                if (code.isEmpty()) {
                    randomBytes(bytes, random);
                    break;
                }
                ElfSection section = pick(code, random);
                int at = (int) section.offset() + 8 * random.nextInt((int) (section.size() / 8));
                switch (random.nextInt(3)) {
                    case 0 -> bytes[at] = (byte) (random.nextBoolean() ? 0x85 : 0x18); // call or ld_imm64 where none was
                    case 1 -> bytes[at + 1] = (byte) random.nextInt(256); // registers: pseudo-call source
                    default -> out.interesting(at + 4, 4); // immediate: a call target
                }
            }
            case "string-table" -> {
                List<ElfSection> tables = layout.elf().sections().stream().filter(s -> s.type() == ElfFile.SHT_STRTAB && s.size() > 0).toList();
                ElfSection table = pick(tables, random);
                for (int i = 0; i < 1 + random.nextInt(8); i++) {
                    bytes[(int) table.offset() + random.nextInt((int) table.size())] = (byte) (random.nextBoolean() ? 'x' : random.nextInt(256));
                }
            }
            case "random-bytes" -> randomBytes(bytes, random);
            default -> { // splice: copy a chunk of the file over another place
                int length = 1 + random.nextInt(Math.min(256, bytes.length - 1));
                System.arraycopy(valid, random.nextInt(bytes.length - length), bytes, random.nextInt(bytes.length - length), length);
            }
        }
        return new Result(name, bytes);
    }

    /** Makes BTF types refer to themselves or to each other, through typedefs, pointers, arrays or struct members. */
    private static void loop(Layout layout, Writer out, Random random) {
        List<int[]> referring = layout.btfTypes().stream().filter(t -> switch (t[1]) {
            case 2, 3, 4, 8, 9, 10, 11, 14, 18 -> true;
            default -> false;
        }).toList();
        if (referring.isEmpty()) {
            out.interesting(0, 8);
            return;
        }
        int[] a = pick(referring, random);
        int[] b = pick(referring, random);
        referTo(a, b[3], out);
        referTo(b, a[3], out);
    }

    /** Points the reference of type {@code type} (its first member's, for a struct; its element, for an array) at {@code id}. */
    private static void referTo(int[] type, int id, Writer out) {
        int at = switch (type[1]) {
            case 3 -> type[0] + 12; // ARRAY: element type
            case 4 -> type[2] > 12 ? type[0] + 16 : type[0] + 8; // STRUCT: first member's type
            default -> type[0] + 8; // PTR, TYPEDEF, VOLATILE, CONST, RESTRICT, VAR, TYPE_TAG
        };
        out.put(at, 4, id);
    }

    private static Layout layout(byte[] valid) {
        ElfFile elf = ElfFile.read(valid);
        List<int[]> types = new ArrayList<>();
        ByteBuffer data = ByteBuffer.wrap(valid).order(elf.byteOrder());
        java.util.Optional<ElfSection> btf = elf.section(".BTF");
        if (btf.isPresent()) {
            int base = (int) btf.get().offset();
            int start = base + data.getInt(base + 4) + data.getInt(base + 8);
            int end = start + data.getInt(base + 12);
            int id = 1;
            for (int at = start; at < end; id++) {
                int info = data.getInt(at + 4);
                int kind = info >>> 24 & 0x1f;
                int vlen = info & 0xffff;
                int size = 12 + switch (kind) {
                    case 1, 14, 17 -> 4;
                    case 3 -> 12;
                    case 4, 5, 15, 19 -> 12 * vlen;
                    case 6, 13 -> 8 * vlen;
                    default -> 0;
                };
                types.add(new int[] {at, kind, size, id});
                at += size;
            }
        }
        return new Layout(elf, types, data.getLong(40));
    }

    private static java.util.Optional<ElfSection> section(Layout layout, String name) {
        return layout.elf().section(name).filter(s -> s.size() >= 24);
    }

    private static int sectionHeader(Layout layout, int index) {
        return (int) (layout.headerTable() + 64L * index);
    }

    private static void randomBytes(byte[] bytes, Random random) {
        for (int i = 0; i < 1 + random.nextInt(16); i++) {
            bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
        }
    }

    private static <T> T pick(List<T> list, Random random) {
        return list.get(random.nextInt(list.size()));
    }

    /** Writes values in the object's byte order, favouring values that break readers: 0, -1, sizes near limits. */
    private static final class Writer {
        private final byte[] bytes;
        private final ByteBuffer buffer;
        private final Random random;

        Writer(byte[] bytes, ByteOrder order, Random random) {
            this.bytes = bytes;
            this.buffer = ByteBuffer.wrap(bytes).order(order);
            this.random = random;
        }

        void interesting(int at, int width) {
            long[] values = {0, 1, 7, 8, 0x7f, 0x80, 0xff, 0xffff, 0x7fffffffL, 0x80000000L, 0xffffffffL, bytes.length,
                    bytes.length - 1, bytes.length + 1, Long.MAX_VALUE, -1, 0x10000000L, random.nextLong()};
            put(at, width, values[random.nextInt(values.length)]);
        }

        void put(int at, int width, long value) {
            if (at < 0 || at + width > bytes.length) {
                return;
            }
            switch (width) {
                case 1 -> buffer.put(at, (byte) value);
                case 2 -> buffer.putShort(at, (short) value);
                case 4 -> buffer.putInt(at, (int) value);
                default -> buffer.putLong(at, value);
            }
        }
    }
}
