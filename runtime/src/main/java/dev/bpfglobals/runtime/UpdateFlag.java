package dev.bpfglobals.runtime;

/**
 * When a map update may create and when it may replace an element: the {@code flags} of
 * {@code BPF_MAP_UPDATE_ELEM}, as libbpf's {@code bpf_map_update_elem} takes them.
 */
public enum UpdateFlag {
    /** BPF_ANY: create the element or replace it. */
    ANY(0),
    /** BPF_NOEXIST: create only; the kernel answers EEXIST for a key that is present (always, for an ARRAY). */
    NOEXIST(1),
    /**
     * BPF_EXIST: replace only; the kernel answers ENOENT for a missing key. For a QUEUE or STACK push
     * it means: when full, drop the oldest value to make room (instead of E2BIG).
     */
    EXIST(2);

    private final long kernelValue;

    UpdateFlag(long kernelValue) {
        this.kernelValue = kernelValue;
    }

    /** {@return the flag's value in the {@code flags} field of {@code union bpf_attr}} */
    public long kernelValue() {
        return kernelValue;
    }
}
