package dev.bpfglobals.runtime;

/**
 * How a map is opened; the kernel itself enforces the read-only and write-only views. It answers
 * {@code EPERM} (not {@code EACCES}) for an access the fd does not allow: kernel/bpf/syscall.c,
 * {@code map_update_elem} and {@code map_lookup_elem} check {@code map_get_sys_perms(map, f)} for
 * {@code FMODE_CAN_WRITE} / {@code FMODE_CAN_READ}, and a frozen map loses {@code FMODE_CAN_WRITE}
 * there too.
 */
public enum MapAccess {
    /** Reads and updates both allowed (no flag): the default. */
    READ_WRITE(0),
    /** {@code BPF_F_RDONLY}: updates through this fd fail with EPERM. */
    READ_ONLY(1 << 3),
    /** {@code BPF_F_WRONLY}: lookups through this fd fail with EPERM. */
    WRITE_ONLY(1 << 4);

    private final int kernelFlags;

    MapAccess(int kernelFlags) {
        this.kernelFlags = kernelFlags;
    }

    /** {@return the file flags passed to BPF_OBJ_GET or BPF_MAP_GET_FD_BY_ID} */
    public int kernelFlags() {
        return kernelFlags;
    }
}
