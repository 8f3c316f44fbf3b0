package dev.bpfglobals.runtime.internal.loader;

import dev.bpfglobals.runtime.attach.ProgramType;
import dev.bpfglobals.runtime.btf.BtfSupport;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;
import java.util.function.IntSupplier;

/**
 * What a load goes by, in the loader's own terms: the public {@code LoadOptions} and
 * {@code BpfFeatures} boiled down to what the steps of a load read.
 *
 * @param nativePercpuGlobals whether programs may address per-CPU sections directly
 * @param nativePercpuAnswer  the feature and the kernel's answer ({@code native .percpu globals: ...}), for the refusal
 * @param btfSupport          which BTF kinds the kernel knows, to sanitise the object's BTF to
 * @param kernelBtf           a raw kernel BTF file for CO-RE, {@code null} for the running kernel's
 * @param pinRoot             where maps pinned by name live
 * @param supported           the program types the loader loads; others are refused by name
 * @param possibleCpus        how many CPUs the kernel keeps per-CPU values for, asked only when needed
 */
public record LoaderSettings(boolean nativePercpuGlobals, String nativePercpuAnswer, BtfSupport btfSupport, Path kernelBtf,
        Path pinRoot, Set<ProgramType> supported, IntSupplier possibleCpus) {

    /** Checks the fields that must be given. */
    public LoaderSettings {
        Objects.requireNonNull(nativePercpuAnswer, "nativePercpuAnswer");
        Objects.requireNonNull(btfSupport, "btfSupport");
        Objects.requireNonNull(pinRoot, "pinRoot");
        supported = Set.copyOf(supported);
        Objects.requireNonNull(possibleCpus, "possibleCpus");
    }
}
