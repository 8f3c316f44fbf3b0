package dev.bpfglobals.runtime.internal.loader;

import java.util.List;

/**
 * A struct_ops map matched to the kernel, as libbpf's {@code bpf_map__init_kern_struct_ops} fills
 * it in: the kernel's value type ({@code struct bpf_struct_ops_NAME}, which wraps the kernel's
 * {@code struct NAME}) and the bytes of a value, the object's data members copied to where the
 * kernel's struct has them; each function pointer is left for a program's descriptor.
 *
 * @param image          the map as the object declares it
 * @param module         the module whose BTF holds the kernel types, null for vmlinux
 * @param valueTypeId    the id of {@code struct bpf_struct_ops_NAME} ({@code btf_vmlinux_value_type_id})
 * @param kernelTypeId   the id of the kernel's {@code struct NAME}: its programs' {@code attach_btf_id}
 * @param value          the value's bytes, every function pointer zero
 * @param slots          the programs to put in the value
 */
public record StructOpsPlan(StructOpsImage image, String module, int valueTypeId, int kernelTypeId, byte[] value,
        List<Slot> slots) {

    /**
     * One function pointer of the value.
     *
     * @param program     the program's C name
     * @param member      the member's name, for messages
     * @param memberIndex the member's index in the kernel's struct: the program's {@code expected_attach_type}
     * @param offset      where in the value its descriptor goes (8 bytes)
     */
    public record Slot(String program, String member, int memberIndex, int offset) {
    }

    /** Copies the slots. */
    public StructOpsPlan {
        slots = List.copyOf(slots);
    }

    /** {@return the map's name} */
    public String name() {
        return image.name();
    }
}
