package dev.bpfglobals.runtime.internal.loader;

import java.util.Map;

/**
 * One variable of a {@code .struct_ops} or {@code .struct_ops.link} section, as the reader found it:
 * a map of type {@code BPF_MAP_TYPE_STRUCT_OPS} to be, whose value is the object's struct (e.g. a
 * {@code struct tcp_congestion_ops}) with its function pointers naming programs of this object.
 *
 * @param name     the variable's name, which is the map's
 * @param section  the ELF section it sits in
 * @param link     whether it is registered through a BPF link ({@code .struct_ops.link}, made {@code BPF_F_LINK})
 * @param typeId   the struct's id in the object's BTF
 * @param typeName the struct's name in the object (a {@code ___flavour} suffix included)
 * @param data     the struct's initial bytes, function pointers zero
 * @param slots    the programs its function-pointer members name, by member index in the object's struct
 */
public record StructOpsImage(String name, String section, boolean link, int typeId, String typeName, byte[] data,
        Map<Integer, String> slots) {

    /** The section of maps registered with BPF_MAP_UPDATE_ELEM. */
    public static final String SECTION = ".struct_ops";
    /** The section of maps registered with BPF_LINK_CREATE. */
    public static final String LINK_SECTION = ".struct_ops.link";

    /** Copies the slots; the bytes stay shared, as every image's do. */
    public StructOpsImage {
        slots = Map.copyOf(slots);
    }
}
