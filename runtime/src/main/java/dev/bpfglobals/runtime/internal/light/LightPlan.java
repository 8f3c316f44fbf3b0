package dev.bpfglobals.runtime.internal.light;

import java.util.List;

/**
 * What a light skeleton loads, as plain data: the maps (in {@code fd_array} order, the order the
 * programs' map indices count in), the programs, the BTF the typed maps are created against, and
 * how per-CPU initial values are written.
 *
 * @param maps         the maps, in {@code fd_array} order
 * @param programs     the programs, their map references by index into {@code maps}
 * @param btf          raw BTF for maps with type ids, or null for none
 * @param allCpus      whether the kernel takes {@code BPF_F_ALL_CPUS} (one value slot written to every
 *                     CPU's copy); the caller decides, from the runtime's feature probe
 * @param possibleCpus the number of possible CPUs: without {@code BPF_F_ALL_CPUS} a per-CPU update
 *                     carries one value slot for each
 */
public record LightPlan(List<LightMap> maps, List<LightProgram> programs, byte[] btf, boolean allCpus, int possibleCpus) {

    /** Copies the lists and checks the CPU count. */
    public LightPlan {
        maps = List.copyOf(maps);
        programs = List.copyOf(programs);
        btf = btf == null ? null : btf.clone();
        // Maps may share a kernel name (15 characters kept): the plan and the result go by position.
        requireUnique(programs.stream().map(LightProgram::name).toList(), "program");
        if (possibleCpus < 1) {
            throw new IllegalArgumentException("possible CPUs must be at least 1, not " + possibleCpus);
        }
    }

    private static void requireUnique(List<String> names, String what) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String name : names) {
            if (!seen.add(name)) {
                throw new IllegalArgumentException("two " + what + "s are named '" + name + "'");
            }
        }
    }

    /** {@return the BTF, a copy, or null} */
    @Override
    public byte[] btf() {
        return btf == null ? null : btf.clone();
    }
}
