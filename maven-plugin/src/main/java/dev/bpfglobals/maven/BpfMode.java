package dev.bpfglobals.maven;

import java.util.List;

/**
 * Which builds of each BPF program the plugin makes. The C source is the same for both: the
 * generated header's {@code BPF_PERCPU(var)} is a map lookup under {@code -DBPF_GLOBALS_COMPAT}
 * and the variable itself without it.
 */
public enum BpfMode {
    /** {@code NAME.bpf.o} with {@code -DBPF_GLOBALS_COMPAT}: runs on every kernel with PERCPU_ARRAY maps. */
    COMPAT,
    /** {@code NAME.bpf.o} addressing {@code .percpu} directly: needs a kernel with global per-CPU data. */
    NATIVE,
    /** {@code NAME.bpf.o} (compat) and {@code NAME.native.bpf.o} (native), as the examples' build.sh names them. */
    BOTH;

    /**
     * One build of a source.
     *
     * @param suffix what the object's file name adds to the source's base name, e.g. {@code .native.bpf.o}
     * @param compat whether the build defines {@code BPF_GLOBALS_COMPAT}, so per-CPU globals are
     *               reached through a map lookup
     */
    public record Build(String suffix, boolean compat) {

        /**
         * Where this build of a source is written, relative to the objects directory.
         *
         * @param name the source's base name, e.g. {@code xdp_stats} of {@code xdp_stats.bpf.c}
         * @return the object file name, e.g. {@code xdp_stats.bpf.o}
         */
        public String objectName(String name) {
            return name + suffix;
        }

        /**
         * What the log calls this build.
         *
         * @return {@code compat} or {@code native}
         */
        public String describe() {
            return compat ? "compat" : "native";
        }
    }

    /**
     * The builds this mode makes, so both objects of {@link #BOTH} come from one loop.
     *
     * @return the builds, compat first
     */
    public List<Build> builds() {
        return switch (this) {
            case COMPAT -> List.of(new Build(".bpf.o", true));
            case NATIVE -> List.of(new Build(".bpf.o", false));
            case BOTH -> List.of(new Build(".bpf.o", true), new Build(".native.bpf.o", false));
        };
    }
}
