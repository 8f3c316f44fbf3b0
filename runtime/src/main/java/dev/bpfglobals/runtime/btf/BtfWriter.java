package dev.bpfglobals.runtime.btf;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Encodes a {@link Btf} as the bytes the kernel's {@code BPF_BTF_LOAD} takes and
 * {@link BtfReader} reads back: a version-1 header, the type section, then the string section
 * with each distinct name stored once.
 */
public final class BtfWriter {

    private final ByteOrder order;
    private final boolean littleEndian;
    private final ByteArrayOutputStream types = new ByteArrayOutputStream();
    private final ByteArrayOutputStream strings = new ByteArrayOutputStream();
    private final Map<String, Integer> stringOffsets = new HashMap<>();

    private BtfWriter(ByteOrder order) {
        this.order = order;
        this.littleEndian = order == ByteOrder.LITTLE_ENDIAN;
        strings.write(0); // offset 0 is the empty name
        stringOffsets.put("", 0);
    }

    /** {@code btf} in its own byte order ({@link Btf#byteOrder()}). */
    public static byte[] write(Btf btf) {
        return write(btf, btf.byteOrder());
    }

    /**
     * {@code btf} in {@code order}; the kernel reads BTF only in its own order ({@link ByteOrder#nativeOrder()}).
     *
     * @throws IllegalArgumentException if a list is longer than the 16-bit {@code vlen} allows
     */
    public static byte[] write(Btf btf, ByteOrder order) {
        return encode(btf, order, List.of()).bytes();
    }

    /**
     * {@code btf} as bytes plus where each string landed in the string section: a program load's
     * line info names its source file and line by offset into the BTF loaded with it.
     *
     * @param extraStrings strings to store besides the type names (file names and source lines)
     */
    public static Encoded encode(Btf btf, ByteOrder order, java.util.Collection<String> extraStrings) {
        BtfWriter writer = new BtfWriter(order);
        List<BtfType> all = btf.types();
        for (int id = 1; id < all.size(); id++) {
            writer.type(all.get(id), id);
        }
        extraStrings.forEach(writer::string);
        return new Encoded(writer.finish(), Map.copyOf(writer.stringOffsets));
    }

    /**
     * Encoded BTF.
     *
     * @param bytes   header, types and strings
     * @param strings each stored string's offset in the string section
     */
    public record Encoded(byte[] bytes, Map<String, Integer> strings) {

        /** The offset of {@code text}, which must have been stored. */
        public int offsetOf(String text) {
            Integer offset = strings.get(text);
            if (offset == null) {
                throw new IllegalArgumentException("string '" + text + "' is not in this BTF");
            }
            return offset;
        }
    }

    private void type(BtfType type, int id) {
        // On the kind, not a pattern switch over the sealed BtfType: the first pattern switch of a
        // process spins a $$TypeSwitch class at run time, which a cold load paid (see Btf.resolve).
        switch (type.kind()) {
            case INT -> {
                BtfType.Int i = (BtfType.Int) type;
                common(i, 0, false, i.size());
                words(i.encoding() << 24 | i.bitOffset() << 16 | i.bits());
            }
            case PTR -> common(type, 0, false, ((BtfType.Ptr) type).type());
            case ARRAY -> {
                BtfType.Array a = (BtfType.Array) type;
                common(a, 0, false, 0);
                words(a.elementType(), a.indexType(), a.length());
            }
            case STRUCT -> aggregate(type, ((BtfType.Struct) type).size(), ((BtfType.Struct) type).members(), id);
            case UNION -> aggregate(type, ((BtfType.Union) type).size(), ((BtfType.Union) type).members(), id);
            case ENUM -> {
                BtfType.Enum e = (BtfType.Enum) type;
                common(e, vlen(e.values().size(), id), e.signed(), e.size());
                for (var v : e.values()) {
                    words(string(v.name()), v.value());
                }
            }
            case ENUM64 -> {
                BtfType.Enum64 e = (BtfType.Enum64) type;
                common(e, vlen(e.values().size(), id), e.signed(), e.size());
                for (var v : e.values()) {
                    words(string(v.name()), (int) v.value(), (int) (v.value() >>> 32));
                }
            }
            case FWD -> common(type, 0, ((BtfType.Fwd) type).union(), 0);
            case TYPEDEF -> common(type, 0, false, ((BtfType.Typedef) type).type());
            case VOLATILE -> common(type, 0, false, ((BtfType.Volatile) type).type());
            case CONST -> common(type, 0, false, ((BtfType.Const) type).type());
            case RESTRICT -> common(type, 0, false, ((BtfType.Restrict) type).type());
            case TYPE_TAG -> common(type, 0, false, ((BtfType.TypeTag) type).type());
            case FUNC -> {
                BtfType.Func f = (BtfType.Func) type;
                common(f, f.linkage().ordinal(), false, f.type());
            }
            case FUNC_PROTO -> {
                BtfType.FuncProto p = (BtfType.FuncProto) type;
                common(p, vlen(p.params().size(), id), false, p.returnType());
                for (BtfType.Param param : p.params()) {
                    words(string(param.name()), param.type());
                }
            }
            case VAR -> {
                BtfType.Var v = (BtfType.Var) type;
                common(v, 0, false, v.type());
                words(v.linkage().ordinal());
            }
            case DATASEC -> {
                BtfType.Datasec d = (BtfType.Datasec) type;
                common(d, vlen(d.entries().size(), id), false, d.size());
                for (BtfType.VarSecinfo e : d.entries()) {
                    words(e.type(), e.offset(), e.size());
                }
            }
            case FLOAT -> common(type, 0, false, ((BtfType.Float) type).size());
            case DECL_TAG -> {
                BtfType.DeclTag t = (BtfType.DeclTag) type;
                common(t, 0, false, t.type());
                words(t.componentIndex());
            }
            case VOID -> throw new IllegalStateException("void is never stored");
        }
    }

    private void aggregate(BtfType type, int size, List<BtfType.Member> members, int id) {
        // kind_flag is needed only when some member is a bitfield; then every offset packs its width.
        boolean bitfields = false;
        for (BtfType.Member m : members) {
            bitfields |= m.bitfieldSize() != 0;
        }
        common(type, vlen(members.size(), id), bitfields, size);
        for (BtfType.Member m : members) {
            if (bitfields && m.bitOffset() > 0xffffff) {
                throw new IllegalArgumentException("member '" + m.name() + "' of type " + id
                        + ": bit offset " + m.bitOffset() + " does not fit 24 bits next to bitfields");
            }
            words(string(m.name()), m.type(), bitfields ? m.bitfieldSize() << 24 | m.bitOffset() : m.bitOffset());
        }
    }

    private static int vlen(int count, int id) {
        if (count > 0xffff) {
            throw new IllegalArgumentException("type " + id + " has " + count + " entries; BTF allows 65535");
        }
        return count;
    }

    private void common(BtfType type, int vlen, boolean kindFlag, int sizeOrType) {
        int info = (kindFlag ? 1 << 31 : 0) | type.kind().number() << 24 | vlen;
        words(string(type.name()), info, sizeOrType);
    }

    // One, two or three words at a time, written byte by byte: no array, buffer or lambda per word,
    // since a cold load runs this in the interpreter for each type and member of the object's BTF.
    private void words(int value) {
        word(value);
    }

    private void words(int first, int second) {
        word(first);
        word(second);
    }

    private void words(int first, int second, int third) {
        word(first);
        word(second);
        word(third);
    }

    private void word(int value) {
        if (littleEndian) {
            types.write(value);
            types.write(value >>> 8);
            types.write(value >>> 16);
            types.write(value >>> 24);
        } else {
            types.write(value >>> 24);
            types.write(value >>> 16);
            types.write(value >>> 8);
            types.write(value);
        }
    }

    private int string(String text) {
        Integer known = stringOffsets.get(text);
        if (known != null) {
            return known;
        }
        if (text.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("name '" + text.replace("\0", "\\0") + "' contains a NUL character");
        }
        int offset = strings.size();
        strings.writeBytes(text.getBytes(StandardCharsets.UTF_8));
        strings.write(0);
        stringOffsets.put(text, offset);
        return offset;
    }

    private byte[] finish() {
        byte[] typeBytes = types.toByteArray();
        byte[] stringBytes = strings.toByteArray();
        ByteBuffer out = ByteBuffer.allocate(BtfReader.HEADER_SIZE + typeBytes.length + stringBytes.length).order(order);
        out.putShort((short) BtfReader.MAGIC).put((byte) 1).put((byte) 0).putInt(BtfReader.HEADER_SIZE)
                .putInt(0).putInt(typeBytes.length)
                .putInt(typeBytes.length).putInt(stringBytes.length)
                .put(typeBytes).put(stringBytes);
        return out.array();
    }
}
