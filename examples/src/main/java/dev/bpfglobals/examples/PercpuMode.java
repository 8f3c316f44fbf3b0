package dev.bpfglobals.examples;

import dev.bpfglobals.runtime.BpfFeatures;
import java.nio.file.Path;

/**
 * Which of an example's two builds to load. Both come from the same C source (see
 * {@code src/main/bpf/build.sh}): the generated header's {@code BPF_PERCPU(var)} is the variable
 * itself in native mode and a lookup of key 0 of the {@code .percpu} map in compat mode.
 */
public enum PercpuMode {
    /** Programs address {@code .percpu} variables directly: kernels with global per-CPU data (7.3). */
    NATIVE(".native.bpf.o", "native .percpu access"),
    /** Programs look the section up in the {@code .percpu} map: any kernel with PERCPU_ARRAY maps. */
    COMPAT(".bpf.o", "compat mode (.percpu through a map lookup)");

    private final String suffix;
    private final String description;

    PercpuMode(String suffix, String description) {
        this.suffix = suffix;
        this.description = description;
    }

    /** Native where the running kernel has it (probed), compat elsewhere. */
    public static PercpuMode forThisKernel() {
        return BpfFeatures.probe().nativePercpuGlobals() ? NATIVE : COMPAT;
    }

    /** The build of example {@code name} (e.g. {@code xdp_stats}) in {@code directory}. */
    public Path object(Path directory, String name) {
        return directory.resolve(name + suffix);
    }

    /** A short phrase for demo output, e.g. "native .percpu access". */
    public String description() {
        return description;
    }

    /** The directory the examples build writes objects to, relative to the repository root. */
    public static final Path BUILD_DIRECTORY = Path.of("examples/target/bpf");
}
