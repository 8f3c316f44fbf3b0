package dev.bpfglobals.runtime.btf;

import dev.bpfglobals.runtime.internal.BoundedStrings;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads BTF from bytes: a {@code .BTF} ELF section, or what {@code BPF_BTF_GET_INFO} returns.
 *
 * <p>The input is untrusted. Both byte orders are read (the magic {@code 0xeB9F} tells which); the
 * header, every section bound and every name offset is checked; a count is believed only as far as
 * the bytes that must follow it exist, so nothing is allocated beyond what the input can hold; and
 * reference loops are refused ({@link Btf#of}). Every problem ends in one {@link BtfFormatException}
 * naming the type and byte at fault.
 */
public final class BtfReader {

    /** {@code BTF_MAGIC}. */
    public static final int MAGIC = 0xeB9F;
    /** The size of {@code struct btf_header} in version 1. */
    public static final int HEADER_SIZE = 24;
    private static final int COMMON_SIZE = 12;

    private final ByteBuffer data;
    private final BoundedStrings strings;
    private final int typesStart;
    private final int typesEnd;
    /** For split BTF (a module's), the base's strings: offsets below their length name them. */
    private final BoundedStrings baseStrings;
    /** The id of the first type in this type section: 1, or after a split BTF's base's last. */
    private final int firstId;
    /** The bytes behind {@link #data} where it is an array's ({@link #word} reads them directly), else null. */
    private final byte[] array;
    private final int arrayOffset;
    private final boolean littleEndian;

    private BtfReader(ByteBuffer data, BtfHeader header) {
        this(data, header, null, 1);
    }

    private BtfReader(ByteBuffer data, BtfHeader header, BoundedStrings baseStrings, int firstId) {
        this.data = data;
        this.typesStart = header.typesStart();
        this.typesEnd = header.typesEnd();
        this.strings = new BoundedStrings(data, header.stringsStart(), header.stringsLength(), "BTF string section",
                BtfFormatException::new);
        this.baseStrings = baseStrings;
        this.firstId = firstId;
        this.array = data.hasArray() ? data.array() : null;
        this.arrayOffset = data.hasArray() ? data.arrayOffset() : 0;
        this.littleEndian = data.order() == ByteOrder.LITTLE_ENDIAN;
    }

    /**
     * Parses BTF.
     *
     * @throws BtfFormatException naming the problem, for any malformed input
     */
    public static Btf read(byte[] bytes) {
        return read(ByteBuffer.wrap(bytes));
    }

    /**
     * Parses the BTF between {@code bytes}' position and limit; the buffer itself is left as it was.
     *
     * @throws BtfFormatException naming the problem, for any malformed input
     */
    public static Btf read(ByteBuffer bytes) {
        return Btf.of(parse(bytes), order(bytes));
    }

    /**
     * The running kernel's own BTF, read lazily ({@link LazyKernelTypes}): the type section is only
     * walked for where each type starts, and a type is parsed, with every bound checked, when first
     * asked for. The graph is not checked ({@link Btf#ofVerifiedByKernel}).
     */
    static Btf readVerifiedByKernel(byte[] bytes) {
        ByteBuffer data = ByteBuffer.wrap(bytes).slice();
        BtfHeader header = BtfHeader.read(data);
        data.order(header.order());
        return Btf.ofVerifiedByKernel(new LazyKernelTypes(new BtfReader(data, header)), header.order());
    }

    /**
     * A kernel module's BTF ({@code /sys/kernel/btf/MODULE}), which is split BTF on top of
     * {@code base}, the running kernel's vmlinux BTF read by {@link #readVerifiedByKernel}: its type
     * ids continue after the base's last, its string offsets after the base's string section, and
     * its types refer to the base's freely. The result holds the base's types and then the module's,
     * each parsed when first asked for, as the kernel verified both when the module loaded.
     *
     * @throws BtfFormatException for bytes that are not BTF, a base that is not the running kernel's,
     *                            or a byte order other than the base's
     */
    static Btf readSplitVerifiedByKernel(byte[] bytes, Btf base) {
        if (!(base.types() instanceof LazyKernelTypes baseTypes)) {
            throw new BtfFormatException("split BTF needs the running kernel's vmlinux BTF as its base");
        }
        ByteBuffer data = ByteBuffer.wrap(bytes).slice();
        BtfHeader header = BtfHeader.read(data, true);
        if (header.order() != base.byteOrder()) {
            throw new BtfFormatException("split BTF in " + header.order() + " on a base in " + base.byteOrder());
        }
        data.order(header.order());
        BtfReader reader = new BtfReader(data, header, baseTypes.reader().strings, base.size());
        return Btf.ofVerifiedByKernel(new SplitKernelTypes(baseTypes, new LazyKernelTypes(reader)), header.order());
    }

    /**
     * Where each type starts (index = id; 0 for void), by its header's kind and count alone. Runs over
     * each of a kernel's 100k+ types on a cold load, mostly as C1 code: no object per type, and the
     * header word read straight from the array ({@link #word}).
     */
    int[] typeOffsets() {
        int[] offsets = new int[1024];
        int count = 1;
        int position = typesStart;
        while (position < typesEnd) {
            int id = firstId - 1 + count;
            if (id > Btf.MAX_TYPES) {
                throw new BtfFormatException("more than " + Btf.MAX_TYPES + " types");
            }
            if (COMMON_SIZE > typesEnd - position) {
                require(new Cursor(position, id), COMMON_SIZE, "its 12-byte header");
            }
            int info = word(position + 4);
            int vlen = info & 0xffff;
            BtfKind kind = BtfKind.of((info >>> 24) & 0x1f);
            if (kind == null || kind == BtfKind.VOID) {
                throw new BtfFormatException("type " + id + " at byte " + position + " has unknown kind " + ((info >>> 24) & 0x1f));
            }
            long extra = switch (kind) {
                case INT, VAR, DECL_TAG -> 4;
                case ARRAY -> 12;
                case STRUCT, UNION, DATASEC, ENUM64 -> 12L * vlen;
                case ENUM, FUNC_PROTO -> 8L * vlen;
                default -> 0;
            };
            if (extra > typesEnd - (position + COMMON_SIZE)) {
                require(new Cursor(position + COMMON_SIZE, id), extra, "its data");
            }
            if (count == offsets.length) {
                offsets = java.util.Arrays.copyOf(offsets, count * 2);
            }
            offsets[count++] = position;
            position += COMMON_SIZE + (int) extra;
        }
        return java.util.Arrays.copyOf(offsets, count);
    }

    /** The 32-bit word at {@code position} of the buffer, in the BTF's byte order. */
    private int word(int position) {
        if (array == null) {
            return data.getInt(position);
        }
        int at = arrayOffset + position;
        int b0 = array[at] & 0xff;
        int b1 = array[at + 1] & 0xff;
        int b2 = array[at + 2] & 0xff;
        int b3 = array[at + 3] & 0xff;
        return littleEndian ? b0 | b1 << 8 | b2 << 16 | b3 << 24 : b3 | b2 << 8 | b1 << 16 | b0 << 24;
    }

    /** The id of the first type of this type section (1, or a split BTF's base's size). */
    int firstId() {
        return firstId;
    }

    /** The type at byte {@code offset} of the section, whose id is {@code id}. */
    BtfType typeAt(int offset, int id) {
        try {
            return type(new Cursor(offset, id));
        } catch (IllegalArgumentException e) {
            throw new BtfFormatException("type " + id + " at byte " + offset + ": " + e.getMessage());
        }
    }

    /** The kind of the type at {@code offset}, from its header. */
    BtfKind kindAt(int offset) {
        return BtfKind.of((word(offset + 4) >>> 24) & 0x1f);
    }

    /**
     * {@link KernelTypeHeaders#essentialNameHashes} over the types of this section at {@code offsets}
     * (as {@link #typeOffsets} gives them) from index {@code from}, written at index + {@code shift}.
     */
    void essentialNameHashes(int[] offsets, int from, int shift, int[] hashes, boolean[] indexed) {
        for (int i = from; i < offsets.length; i++) {
            int offset = offsets[i];
            if (word(offset) != 0 && EssentialNameIndex.mayBeRoot(kindAt(offset))) {
                indexed[i + shift] = true;
                hashes[i + shift] = essentialNameHashAt(offset, firstId - 1 + i);
            }
        }
    }

    /** {@link EssentialNameIndex#essentialHash} of the name of the type at {@code offset}, without decoding it. */
    int essentialNameHashAt(int offset, int id) {
        long at32 = Integer.toUnsignedLong(word(offset));
        BoundedStrings table = strings;
        if (baseStrings != null) {
            if (at32 < baseStrings.length()) {
                table = baseStrings;
            } else {
                at32 -= baseStrings.length();
            }
        }
        return table.applyToBytes(at32, "type", id, EssentialNameIndex::essentialHash);
    }

    /** The name of the type at {@code offset}, from its header. */
    String nameAt(int offset, int id) {
        return name(data.getInt(offset), new Cursor(offset, id));
    }

    private static ByteOrder order(ByteBuffer bytes) {
        return BtfHeader.read(bytes.slice()).order();
    }

    private static List<BtfType> parse(ByteBuffer bytes) {
        ByteBuffer data = bytes.slice();
        BtfHeader header = BtfHeader.read(data);
        data.order(header.order());
        return new BtfReader(data, header).types();
    }

    /** The string section of {@code btf} (checked as {@link #read} checks it), for readers of {@code .BTF.ext}. */
    static BoundedStrings strings(ByteBuffer btf) {
        ByteBuffer data = btf.slice();
        BtfHeader header = BtfHeader.read(data);
        data.order(header.order());
        return new BoundedStrings(data, header.stringsStart(), header.stringsLength(), "BTF string section",
                BtfFormatException::new);
    }

    private List<BtfType> types() {
        List<BtfType> types = new ArrayList<>();
        int position = typesStart;
        while (position < typesEnd) {
            int id = types.size() + 1;
            if (id > Btf.MAX_TYPES) {
                throw new BtfFormatException("more than " + Btf.MAX_TYPES + " types");
            }
            Cursor at = new Cursor(position, id);
            try {
                types.add(type(at));
            } catch (IllegalArgumentException e) {
                throw new BtfFormatException("type " + id + " at byte " + position + ": " + e.getMessage());
            }
            position = at.position;
        }
        return types;
    }

    /** Position in the type section while one type is read. */
    private static final class Cursor {
        int position;
        final int id;

        Cursor(int position, int id) {
            this.position = position;
            this.id = id;
        }
    }

    private BtfType type(Cursor at) {
        require(at, COMMON_SIZE, "its 12-byte header");
        int nameOffset = data.getInt(at.position);
        int info = data.getInt(at.position + 4);
        int sizeOrType = data.getInt(at.position + 8);
        at.position += COMMON_SIZE;
        int vlen = info & 0xffff;
        boolean kindFlag = info < 0;
        BtfKind kind = BtfKind.of((info >>> 24) & 0x1f);
        if (kind == null || kind == BtfKind.VOID) {
            throw new BtfFormatException("type " + at.id + " at byte " + (at.position - COMMON_SIZE) + " has unknown kind "
                    + ((info >>> 24) & 0x1f));
        }
        String name = name(nameOffset, at);
        return switch (kind) {
            case INT -> {
                int encoding = word(at);
                yield new BtfType.Int(name, sizeOrType, (encoding >>> 24) & 0x0f, (encoding >>> 16) & 0xff, encoding & 0xff);
            }
            case PTR -> new BtfType.Ptr(sizeOrType);
            case ARRAY -> {
                require(at, 12, "its array data");
                yield new BtfType.Array(word(at), word(at), word(at));
            }
            case STRUCT -> new BtfType.Struct(name, sizeOrType, members(at, vlen, kindFlag));
            case UNION -> new BtfType.Union(name, sizeOrType, members(at, vlen, kindFlag));
            case ENUM -> {
                require(at, 8L * vlen, vlen + " enumerators");
                List<BtfType.EnumValue> values = new ArrayList<>(vlen);
                for (int i = 0; i < vlen; i++) {
                    values.add(new BtfType.EnumValue(name(word(at), at), word(at)));
                }
                yield new BtfType.Enum(name, sizeOrType, kindFlag, values);
            }
            case ENUM64 -> {
                require(at, 12L * vlen, vlen + " enumerators");
                List<BtfType.Enum64Value> values = new ArrayList<>(vlen);
                for (int i = 0; i < vlen; i++) {
                    String valueName = name(word(at), at);
                    long low = Integer.toUnsignedLong(word(at));
                    long high = word(at);
                    values.add(new BtfType.Enum64Value(valueName, (high << 32) | low));
                }
                yield new BtfType.Enum64(name, sizeOrType, kindFlag, values);
            }
            case FWD -> new BtfType.Fwd(name, kindFlag);
            case TYPEDEF -> new BtfType.Typedef(name, sizeOrType);
            case VOLATILE -> new BtfType.Volatile(sizeOrType);
            case CONST -> new BtfType.Const(sizeOrType);
            case RESTRICT -> new BtfType.Restrict(sizeOrType);
            case TYPE_TAG -> new BtfType.TypeTag(name, sizeOrType);
            case FUNC -> new BtfType.Func(name, sizeOrType, linkage(vlen, at));
            case FUNC_PROTO -> {
                require(at, 8L * vlen, vlen + " parameters");
                List<BtfType.Param> params = new ArrayList<>(vlen);
                for (int i = 0; i < vlen; i++) {
                    params.add(new BtfType.Param(name(word(at), at), word(at)));
                }
                yield new BtfType.FuncProto(sizeOrType, params);
            }
            case VAR -> new BtfType.Var(name, sizeOrType, linkage(word(at), at));
            case DATASEC -> {
                require(at, 12L * vlen, vlen + " variables");
                List<BtfType.VarSecinfo> entries = new ArrayList<>(vlen);
                for (int i = 0; i < vlen; i++) {
                    entries.add(new BtfType.VarSecinfo(word(at), word(at), word(at)));
                }
                yield new BtfType.Datasec(name, sizeOrType, entries);
            }
            case FLOAT -> new BtfType.Float(name, sizeOrType);
            case DECL_TAG -> new BtfType.DeclTag(name, sizeOrType, word(at));
            case VOID -> throw new IllegalStateException("unreachable");
        };
    }

    private List<BtfType.Member> members(Cursor at, int vlen, boolean bitfields) {
        require(at, 12L * vlen, vlen + " members");
        List<BtfType.Member> members = new ArrayList<>(vlen);
        for (int i = 0; i < vlen; i++) {
            String name = name(word(at), at);
            int type = word(at);
            int offset = word(at);
            // With kind_flag set, the offset word packs the bitfield width above a 24-bit bit offset.
            members.add(bitfields
                    ? new BtfType.Member(name, type, offset & 0xffffff, offset >>> 24)
                    : new BtfType.Member(name, type, offset, 0));
        }
        return members;
    }

    private static BtfType.Linkage linkage(int value, Cursor at) {
        BtfType.Linkage linkage = BtfType.Linkage.of(value);
        if (linkage == null) {
            throw new BtfFormatException("type " + at.id + " has unknown linkage " + Integer.toUnsignedString(value));
        }
        return linkage;
    }

    /** Refuses a type whose {@code bytes} more bytes would run past the type section: counts are untrusted. */
    private void require(Cursor at, long bytes, String what) {
        if (bytes > typesEnd - at.position) {
            throw new BtfFormatException("type " + at.id + " at byte " + at.position + ": " + bytes + " bytes needed for "
                    + what + ", but the type section has " + (typesEnd - at.position) + " left");
        }
    }

    private int word(Cursor at) {
        require(at, 4, "its data");
        int value = data.getInt(at.position);
        at.position += 4;
        return value;
    }

    private String name(int offset, Cursor at) {
        long at32 = Integer.toUnsignedLong(offset);
        if (baseStrings != null) {
            if (at32 < baseStrings.length()) {
                return baseStrings.nameOf("type", at.id, at32);
            }
            at32 -= baseStrings.length();
        }
        return strings.nameOf("type", at.id, at32);
    }

    static long u32(ByteBuffer data, int at) {
        return Integer.toUnsignedLong(data.getInt(at));
    }
}
