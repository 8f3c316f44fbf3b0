package dev.bpfglobals.runtime;

/** How a map is opened; the kernel itself enforces the read-only and write-only views. */
public enum MapAccess {
    READ_WRITE(0),
    /** {@code BPF_F_RDONLY}: updates through this fd fail with EACCES. */
    READ_ONLY(1 << 3),
    /** {@code BPF_F_WRONLY}: lookups through this fd fail with EACCES. */
    WRITE_ONLY(1 << 4);

    private final int kernelFlags;

    MapAccess(int kernelFlags) {
        this.kernelFlags = kernelFlags;
    }

    /** The file flags passed to BPF_OBJ_GET or BPF_MAP_GET_FD_BY_ID. */
    public int kernelFlags() {
        return kernelFlags;
    }
}
