package dev.bpfglobals.runtime.btf;

import dev.bpfglobals.runtime.contract.SectionContract;
import dev.bpfglobals.runtime.contract.VariableContract;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Encodes the BTF of one global-data section as libbpf would give its map: a DATASEC of VARs whose
 * types are built from the contract's C types. Integers, {@code _Bool} and arrays of them keep their
 * names; structs and enums, whose members a contract does not list, are described as byte arrays
 * (enums as {@code __u32}) of the right size, so every variable keeps its name, offset and size.
 */
public final class SectionBtfWriter {

    static final int MAGIC = 0xeB9F;
    static final int KIND_INT = 1;
    static final int KIND_ARRAY = 3;
    static final int KIND_VAR = 14;
    static final int KIND_DATASEC = 15;
    private static final int INT_SIGNED = 1;
    private static final int INT_BOOL = 4;
    private static final int VAR_GLOBAL = 1;
    private static final Pattern ARRAY = Pattern.compile("(.+)\\[(\\d+)]");

    private final ByteArrayOutputStream types = new ByteArrayOutputStream();
    private final ByteArrayOutputStream strings = new ByteArrayOutputStream();
    private final Map<String, Integer> stringOffsets = new HashMap<>();
    private final Map<String, Integer> typeIds = new HashMap<>();
    private int nextId = 1;

    /**
     * The encoded BTF with the map's key type (a {@code __u32}: the kernel allows a keyless BTF only
     * for plain ARRAY maps) and value type (the section's DATASEC).
     */
    public record Encoded(byte[] bytes, int keyTypeId, int datasecId) {
    }

    private SectionBtfWriter() {
        strings.write(0);
        stringOffsets.put("", 0);
    }

    /** BTF with a DATASEC named after {@code section} holding one VAR per variable. */
    public static Encoded encode(SectionContract section) {
        SectionBtfWriter writer = new SectionBtfWriter();
        int key = writer.typeOf("__u32", 4);
        int[] vars = new int[section.variables().size()];
        for (int i = 0; i < vars.length; i++) {
            VariableContract variable = section.variables().get(i);
            int type = writer.typeOf(variable.cType(), variable.size());
            vars[i] = writer.add(variable.name(), KIND_VAR, 0, type, VAR_GLOBAL);
        }
        ByteBuffer secinfo = little(12 * vars.length);
        for (int i = 0; i < vars.length; i++) {
            VariableContract variable = section.variables().get(i);
            secinfo.putInt(vars[i]).putInt(variable.offset()).putInt(variable.size());
        }
        int datasec = writer.addRaw(section.name(), KIND_DATASEC, vars.length, section.valueSize(), secinfo.array());
        return new Encoded(writer.finish(), key, datasec);
    }

    private int typeOf(String cType, int size) {
        if (cType.isEmpty()) {
            // A layout read from an object's symbols has no C types yet: describe the bytes.
            return typeOf("__u8[" + size + "]", size);
        }
        Integer known = typeIds.get(cType);
        if (known != null) {
            return known;
        }
        int id;
        Matcher array = ARRAY.matcher(cType);
        if (array.matches()) {
            int length = Integer.parseInt(array.group(2));
            int element = typeOf(array.group(1), size / Math.max(1, length));
            int index = typeOf("__u32", 4);
            id = addRaw("", KIND_ARRAY, 0, 0, little(12).putInt(element).putInt(index).putInt(length).array());
        } else {
            id = switch (cType) {
                case "__u8", "__u16", "__u32", "__u64" -> integer(cType, bits(cType) / 8, 0);
                case "__s8", "__s16", "__s32", "__s64" -> integer(cType, bits(cType) / 8, INT_SIGNED);
                case "_Bool" -> integer(cType, 1, INT_BOOL);
                default -> cType.startsWith("enum ") ? typeOf("__u32", 4) : bytes(size);
            };
        }
        typeIds.put(cType, id);
        return id;
    }

    private static int bits(String intName) {
        return Integer.parseInt(intName.substring(3));
    }

    private int integer(String name, int size, int encoding) {
        return addRaw(name, KIND_INT, 0, size, little(4).putInt((encoding << 24) | (size * 8)).array());
    }

    private int bytes(int size) {
        int element = typeOf("__u8", 1);
        int index = typeOf("__u32", 4);
        return addRaw("", KIND_ARRAY, 0, 0, little(12).putInt(element).putInt(index).putInt(size).array());
    }

    private int add(String name, int kind, int vlen, int sizeOrType, int extra) {
        return addRaw(name, kind, vlen, sizeOrType, little(4).putInt(extra).array());
    }

    private int addRaw(String name, int kind, int vlen, int sizeOrType, byte[] extra) {
        ByteBuffer type = little(12).putInt(string(name)).putInt((kind << 24) | vlen).putInt(sizeOrType);
        types.writeBytes(type.array());
        types.writeBytes(extra);
        return nextId++;
    }

    private int string(String text) {
        return stringOffsets.computeIfAbsent(text, t -> {
            int offset = strings.size();
            strings.writeBytes(t.getBytes(StandardCharsets.UTF_8));
            strings.write(0);
            return offset;
        });
    }

    private byte[] finish() {
        byte[] typeBytes = types.toByteArray();
        byte[] stringBytes = strings.toByteArray();
        ByteBuffer out = little(24 + typeBytes.length + stringBytes.length);
        out.putShort((short) MAGIC).put((byte) 1).put((byte) 0).putInt(24)
                .putInt(0).putInt(typeBytes.length).putInt(typeBytes.length).putInt(stringBytes.length)
                .put(typeBytes).put(stringBytes);
        return out.array();
    }

    /** A buffer in host order: the kernel reads BTF in its own byte order. */
    private static ByteBuffer little(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.nativeOrder());
    }
}
