package dev.bpfglobals.runtime;

/**
 * What this kernel supports for per-CPU globals, probed once with tiny real kernel calls and cached.
 *
 * @param allCpusUpdate       {@code BPF_F_ALL_CPUS}: one value slot written to every CPU (kernel 6.19+)
 * @param cpuFlag             {@code BPF_F_CPU}: lookup and update of one CPU's copy (kernel 6.19+)
 * @param nativePercpuGlobals programs may address {@code .percpu} variables directly; without it,
 *                            programs use the generated header's compat mode
 * @param btf                 the kernel loads BTF, so maps can name their variables
 * @param details             one line per probe with the kernel's answer
 */
public record BpfFeatures(boolean allCpusUpdate, boolean cpuFlag, boolean nativePercpuGlobals, boolean btf,
        String details) {

    private static volatile BpfFeatures probed;

    /** This kernel's features, probed on first use (needs CAP_BPF). Thread-safe. */
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
                            btf.supported(), "BPF_F_ALL_CPUS: " + all.detail() + "\nBPF_F_CPU: " + cpu.detail()
                                    + "\nnative .percpu globals: " + nativeGlobals.detail() + "\nBTF: " + btf.detail());
                    probed = features;
                }
            }
        }
        return features;
    }

    /** The same features with the per-CPU update flags turned off, to force and test the fallback paths. */
    public BpfFeatures withoutPerCpuFlags() {
        return new BpfFeatures(false, false, nativePercpuGlobals, btf, details + "\n(per-CPU flags disabled by the caller)");
    }
}
