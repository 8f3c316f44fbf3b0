package dev.bpfglobals.runtime;

import dev.bpfglobals.runtime.btf.BtfSupport;
import dev.bpfglobals.runtime.internal.light.LightObject;
import dev.bpfglobals.runtime.internal.light.LoaderBuilder;
import dev.bpfglobals.runtime.internal.light.LoaderProgram;
import dev.bpfglobals.runtime.internal.light.SignedLoader;
import dev.bpfglobals.runtime.internal.loader.LightPlanner;
import dev.bpfglobals.runtime.internal.loader.LoaderSettings;
import dev.bpfglobals.runtime.internal.loader.ObjectFormatException;

/**
 * {@link ObjectSpec#loadLight(LoadOptions, LoaderSignature)}: builds the loader for
 * {@link LoaderSignature#TARGET} rather than for the running kernel (a signature made at build time
 * covers it), checks that the kernel has signed programs and {@code BPF_F_ALL_CPUS}, and loads it signed.
 */
final class SignedLightLoads {

    private SignedLightLoads() {
    }

    /** The loader for {@link LoaderSignature#TARGET}: the same bytes wherever it is built. */
    static LightPlanner.Planned plan(ObjectSpec object, LoadOptions options) {
        LoaderSettings settings = new LoaderSettings(true, "a signed light loader is built for native .percpu access",
                BtfSupport.ALL, options.kernelBtf(), options.pinRoot(), LoadedObject.SUPPORTED, () -> PossibleCpus.system().count());
        try {
            return LightPlanner.plan(object.image(), settings, true);
        } catch (ObjectFormatException format) {
            throw new BpfFormatException(format.detail(), format);
        }
    }

    static byte[] signedContent(ObjectSpec object) {
        return SignedLoader.signedContent(LoaderBuilder.build(plan(object, LoadOptions.defaults()).plan()));
    }

    static LoadedObject load(ObjectSpec object, LoadOptions options, LoaderSignature signature) {
        BpfFeatures features = options.features() == null ? BpfFeatures.probe() : options.features();
        LightPlanner.Planned planned = plan(object, options);
        boolean fillsPerCpu = planned.plan().maps().stream().anyMatch(m -> m.perCpu() && m.initialValue() != null);
        // Checked once the kernel has verified the signature, so that a kernel that cannot verify says so first.
        Runnable allCpus = () -> {
            if (fillsPerCpu && !features.allCpusUpdate()) {
                throw new UnsupportedOperationException("a signed light loader fills per-CPU sections with BPF_F_ALL_CPUS, which"
                        + " this kernel lacks (" + features.answer(BpfFeatures.Feature.ALL_CPUS_UPDATE) + "); load the skeleton unsigned here");
            }
        };
        LoaderProgram loader = LoaderBuilder.build(planned.plan());
        LoadedObject loaded = new LoadedObject();
        try (LightObject made = SignedLoader.load(loader, signature.pkcs7(), signature.keyringId(), allCpus)) {
            loaded.wrap(LightPlanner.adopt(planned, made), null);
            return loaded;
        } catch (RuntimeException e) {
            loaded.close();
            throw e;
        }
    }
}
