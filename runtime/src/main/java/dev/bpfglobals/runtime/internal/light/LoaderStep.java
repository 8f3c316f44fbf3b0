package dev.bpfglobals.runtime.internal.light;

import dev.bpfglobals.runtime.kernel.BpfCommand;

/**
 * One {@code bpf_sys_bpf} call of the loader program, as the program reports it when it fails
 * and as a test reads what the loader will do.
 *
 * @param kind        what the call does
 * @param index       the map's or program's index among the loader's maps or programs (0 for BTF)
 * @param subject     the map's or program's name (empty for BTF; for an attach target lookup, the program's name, then {@code ' attach target } and the target)
 * @param updateFlags a map update's flags ({@code BPF_F_ALL_CPUS} or 0)
 * @param valueBytes  a map update's value size in bytes: one slot, or one per possible CPU
 */
public record LoaderStep(Kind kind, int index, String subject, long updateFlags, int valueBytes) {

    /** What one step of the loader does, and the bpf(2) command it issues. */
    public enum Kind {
        /** Loads the BTF every typed map is created against. */
        BTF_LOAD(BpfCommand.BPF_BTF_LOAD),
        /** Creates a map. */
        MAP_CREATE(BpfCommand.BPF_MAP_CREATE),
        /** Writes a map's initial value at key 0. */
        MAP_UPDATE(BpfCommand.BPF_MAP_UPDATE_ELEM),
        /** Freezes a map against writes from user space. */
        MAP_FREEZE(BpfCommand.BPF_MAP_FREEZE),
        /** Finds a program's attach BTF id by name ({@code bpf_btf_find_by_name_kind}), part of its load. */
        ATTACH_TARGET(BpfCommand.BPF_PROG_LOAD),
        /** Finds a kernel symbol's BTF id by name ({@code bpf_btf_find_by_name_kind}), part of a program's load. */
        KERNEL_SYMBOL(BpfCommand.BPF_PROG_LOAD),
        /** Loads a program. */
        PROG_LOAD(BpfCommand.BPF_PROG_LOAD);

        private final BpfCommand command;

        Kind(BpfCommand command) {
            this.command = command;
        }

        /** {@return the bpf(2) command of this step} */
        public BpfCommand command() {
            return command;
        }
    }

    /** {@return the step as an error names it: {@code map 1 'bad' create}, {@code program 'prog' load}} */
    public String describe() {
        return switch (kind) {
            case BTF_LOAD -> "BTF load";
            case MAP_CREATE -> "map " + index + " '" + subject + "' create";
            case MAP_UPDATE -> "map " + index + " '" + subject + "' initial value update"
                    + (updateFlags != 0 ? " (BPF_F_ALL_CPUS, one " + valueBytes + "-byte slot)" : " (" + valueBytes + " bytes)");
            case MAP_FREEZE -> "map " + index + " '" + subject + "' freeze";
            case ATTACH_TARGET -> "program '" + subject + " lookup (bpf_btf_find_by_name_kind)";
            case KERNEL_SYMBOL -> "program '" + subject + " lookup (bpf_btf_find_by_name_kind)";
            case PROG_LOAD -> "program '" + subject + "' load";
        };
    }
}
