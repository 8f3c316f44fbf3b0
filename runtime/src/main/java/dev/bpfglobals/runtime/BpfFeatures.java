package dev.bpfglobals.runtime;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * What this kernel supports for per-CPU globals, probed once with tiny real kernel calls and cached.
 *
 * @param allCpusUpdate       {@code BPF_F_ALL_CPUS}: one value slot written to every CPU (kernel 6.19+)
 * @param cpuFlag             {@code BPF_F_CPU}: lookup and update of one CPU's copy (kernel 6.19+)
 * @param nativePercpuGlobals programs may address {@code .percpu} variables directly; without it,
 *                            programs use the generated header's compat mode
 * @param btf                 the kernel loads BTF, so maps can name their variables
 * @param answers             the kernel's answer to each probe, in its own words ({@code update with
 *                            BPF_F_CPU refused with EINVAL}); see {@link #answer}
 */
public record BpfFeatures(boolean allCpusUpdate, boolean cpuFlag, boolean nativePercpuGlobals, boolean btf,
        Map<Feature, String> answers) {

    /** The features probed, each with the label {@link #details()} gives its answer. */
    public enum Feature {
        /** {@code BPF_F_ALL_CPUS}: one value slot written to every CPU's copy. */
        ALL_CPUS_UPDATE("BPF_F_ALL_CPUS"),
        /** {@code BPF_F_CPU}: one CPU's copy read or written alone. */
        CPU_FLAG("BPF_F_CPU"),
        /** Programs addressing {@code .percpu} variables directly, without the compat map. */
        NATIVE_PERCPU_GLOBALS("native .percpu globals"),
        /** The kernel loading BTF, so maps can name their variables. */
        BTF("BTF");

        private final String label;

        Feature(String label) {
            this.label = label;
        }

        /** {@return how {@link BpfFeatures#details()} names it} */
        public String label() {
            return label;
        }
    }

    private static volatile BpfFeatures probed;

    /** Copies the answers; a feature without one answers "not probed". */
    public BpfFeatures {
        Map<Feature, String> copy = new EnumMap<>(Feature.class);
        for (Feature feature : Feature.values()) {
            copy.put(feature, Objects.requireNonNullElse(answers.get(feature), "not probed"));
        }
        answers = Map.copyOf(copy);
    }

    /**
     * This kernel's features, probed on first use (needs CAP_BPF). Thread-safe.
     *
     * @return the probed features
     */
    public static BpfFeatures probe() {
        BpfFeatures features = probed;
        if (features == null) {
            synchronized (BpfFeatures.class) {
                features = probed;
                if (features == null) {
                    FeatureProbes.Outcome all = FeatureProbes.allCpusUpdate();
                    FeatureProbes.Outcome cpu = FeatureProbes.cpuFlag();
                    FeatureProbes.Outcome nativeGlobals = FeatureProbes.nativePercpuGlobals();
                    FeatureProbes.Outcome btf = FeatureProbes.btf();
                    features = new BpfFeatures(all.supported(), cpu.supported(), nativeGlobals.supported(),
                            btf.supported(), Map.of(Feature.ALL_CPUS_UPDATE, all.detail(), Feature.CPU_FLAG, cpu.detail(),
                                    Feature.NATIVE_PERCPU_GLOBALS, nativeGlobals.detail(), Feature.BTF, btf.detail()));
                    probed = features;
                }
            }
        }
        return features;
    }

    /**
     * The kernel's answer to the probe of {@code feature}, e.g. {@code program load refused with EACCES: ...}.
     *
     * @param feature a probed feature
     * @return the kernel's answer, or {@code "not probed"}
     */
    public String answer(Feature feature) {
        return answers.get(feature);
    }

    /**
     * One line per probe: its label and the kernel's answer ({@code BPF_F_CPU: update with BPF_F_CPU accepted}).
     *
     * @return the probes' answers, one per line
     */
    public String details() {
        return java.util.Arrays.stream(Feature.values()).map(f -> f.label() + ": " + answers.get(f))
                .collect(Collectors.joining("\n"));
    }

    /**
     * The same features with the per-CPU update flags turned off, to force and test the fallback paths.
     *
     * @return a copy in which {@link #allCpusUpdate()} and {@link #cpuFlag()} are false
     */
    public BpfFeatures withoutPerCpuFlags() {
        Map<Feature, String> changed = new EnumMap<>(answers);
        changed.put(Feature.ALL_CPUS_UPDATE, answers.get(Feature.ALL_CPUS_UPDATE) + " (disabled by the caller)");
        changed.put(Feature.CPU_FLAG, answers.get(Feature.CPU_FLAG) + " (disabled by the caller)");
        return new BpfFeatures(false, false, nativePercpuGlobals, btf, changed);
    }

    /**
     * The same features but claiming direct {@code .percpu} access whatever the kernel said, to see
     * what the kernel answers a program that uses it.
     *
     * @return a copy in which {@link #nativePercpuGlobals()} is true
     */
    public BpfFeatures claimingNativePercpuGlobals() {
        Map<Feature, String> changed = new EnumMap<>(answers);
        changed.put(Feature.NATIVE_PERCPU_GLOBALS, answers.get(Feature.NATIVE_PERCPU_GLOBALS) + " (claimed by the caller)");
        return new BpfFeatures(allCpusUpdate, cpuFlag, true, btf, changed);
    }
}
