package dev.bpfglobals.runtime.internal.light;

import java.util.List;

/**
 * A light skeleton's loader: one {@code BPF_PROG_TYPE_SYSCALL} program and its data. Loaded with
 * {@code BPF_F_SLEEPABLE} and {@code fd_array = { the data map }} and run once, it creates the
 * maps, fills and freezes them, loads the programs and leaves every descriptor in its context.
 *
 * @param instructions the loader program; it names its data map as {@code fd_array[0]}
 * @param blob         the data: the value of a one-entry ARRAY map the program reads and patches
 * @param context      the context's layout
 * @param steps        every {@code bpf_sys_bpf} call, in order; the context's step number counts in it
 * @param mapNames     the maps' names, in {@code fd_array} order
 * @param programNames the programs' names, in load order
 */
public record LoaderProgram(long[] instructions, byte[] blob, LoaderContext context, List<LoaderStep> steps,
        List<String> mapNames, List<String> programNames) {

    /** The license the loader program is loaded under (its helpers are not GPL-only). */
    public static final String LICENSE = "Dual BSD/GPL";

    /** Copies the arrays and lists. */
    public LoaderProgram {
        instructions = instructions.clone();
        blob = blob.clone();
        steps = List.copyOf(steps);
        mapNames = List.copyOf(mapNames);
        programNames = List.copyOf(programNames);
    }

    /** {@return the loader's instructions, a copy} */
    @Override
    public long[] instructions() {
        return instructions.clone();
    }

    /** {@return the loader's data, a copy} */
    @Override
    public byte[] blob() {
        return blob.clone();
    }

    /**
     * The steps of one kind.
     *
     * @param kind the kind of step
     * @return those steps, in order
     */
    public List<LoaderStep> steps(LoaderStep.Kind kind) {
        return steps.stream().filter(s -> s.kind() == kind).toList();
    }
}
