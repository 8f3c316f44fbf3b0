package dev.bpfglobals.runtime.internal.light;

import java.util.Objects;

/**
 * The kernel BTF type a program is verified against ({@code attach_btf_id}), by name: the loader
 * program looks it up when it runs, with {@code bpf_btf_find_by_name_kind} (vmlinux first, then
 * every loaded module), as libbpf's gen_loader does, so a light skeleton built on one kernel finds
 * the id on another.
 *
 * @param name    the type's name, e.g. {@code bpf_lsm_file_open}, {@code btf_trace_sched_switch}
 * @param btfKind {@code BTF_KIND_FUNC} (12) or {@code BTF_KIND_TYPEDEF} (8)
 */
public record AttachTarget(String name, int btfKind) {

    /** {@code BTF_KIND_TYPEDEF}: a {@code tp_btf/} program's {@code btf_trace_NAME}. */
    public static final int KIND_TYPEDEF = 8;
    /** {@code BTF_KIND_FUNC}: fentry, fexit, fmod_ret, LSM and iterator targets. */
    public static final int KIND_FUNC = 12;

    /** Checks the name. */
    public AttachTarget {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.length() > 127) {
            throw new IllegalArgumentException("attach target name must have 1 to 127 characters: '" + name + "'");
        }
    }

    @Override
    public String toString() {
        return (btfKind == KIND_TYPEDEF ? "TYPEDEF" : btfKind == KIND_FUNC ? "FUNC" : "kind " + btfKind) + " '" + name + "'";
    }
}
