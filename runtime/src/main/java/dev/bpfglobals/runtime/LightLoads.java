package dev.bpfglobals.runtime;

import dev.bpfglobals.runtime.btf.BtfSupport;
import dev.bpfglobals.runtime.internal.light.LightLoader;
import dev.bpfglobals.runtime.internal.light.LightObject;
import dev.bpfglobals.runtime.internal.light.LightStepException;
import dev.bpfglobals.runtime.internal.light.LoaderBuilder;
import dev.bpfglobals.runtime.internal.loader.LightPlanner;
import dev.bpfglobals.runtime.internal.loader.LoaderSettings;
import dev.bpfglobals.runtime.internal.loader.ObjectFormatException;

/**
 * {@link ObjectSpec#loadLight}: plans the object for this kernel, builds the light loader at open
 * (the CPU count and {@code BPF_F_ALL_CPUS} are facts of the running kernel), runs it, and wraps
 * what it made as a normal load's result.
 */
final class LightLoads {

    private LightLoads() {
    }

    /** The plan {@link #load} builds its loader from: the maps, programs and how per-CPU values are written. */
    static LightPlanner.Planned plan(ObjectSpec object, LoadOptions options) {
        BpfFeatures features = options.features() == null ? BpfFeatures.probe() : options.features();
        LoaderSettings settings = new LoaderSettings(features.nativePercpuGlobals(),
                BpfFeatures.Feature.NATIVE_PERCPU_GLOBALS.label() + ": " + features.answer(BpfFeatures.Feature.NATIVE_PERCPU_GLOBALS),
                BtfSupport.probe(), options.kernelBtf(), options.pinRoot(), LoadedObject.SUPPORTED, () -> PossibleCpus.system().count());
        try {
            return LightPlanner.plan(object.image(), settings, features.allCpusUpdate());
        } catch (ObjectFormatException format) {
            throw new BpfFormatException(format.detail(), format);
        }
    }

    static LoadedObject load(ObjectSpec object, LoadOptions options) {
        LightPlanner.Planned planned = plan(object, options);
        LoadedObject loaded = new LoadedObject();
        try (LightObject made = LightLoader.load(LoaderBuilder.build(planned.plan()))) {
            loaded.wrap(LightPlanner.adopt(planned, made), null);
            return loaded;
        } catch (LightStepException e) {
            loaded.close();
            throw LightPlanner.explain(planned, e);
        } catch (RuntimeException e) {
            loaded.close();
            throw e;
        }
    }
}
