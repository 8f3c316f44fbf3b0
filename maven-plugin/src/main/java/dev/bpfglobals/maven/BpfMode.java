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

    /** One build of a source: the object's file name suffix and whether it defines {@code BPF_GLOBALS_COMPAT}. */
    public record Build(String suffix, boolean compat) {

        /** The object file name for source base name {@code name} ({@code xdp_stats} of {@code xdp_stats.bpf.c}). */
        public String objectName(String name) {
            return name + suffix;
        }

        /** What the log calls this build. */
        public String describe() {
            return compat ? "compat" : "native";
        }
    }

    /** The builds this mode makes, compat first. */
    public List<Build> builds() {
        return switch (this) {
            case COMPAT -> List.of(new Build(".bpf.o", true));
            case NATIVE -> List.of(new Build(".bpf.o", false));
            case BOTH -> List.of(new Build(".bpf.o", true), new Build(".native.bpf.o", false));
        };
    }
}
