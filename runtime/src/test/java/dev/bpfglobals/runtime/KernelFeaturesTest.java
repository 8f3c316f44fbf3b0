package dev.bpfglobals.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bpfglobals.runtime.attach.TcxDirection;
import dev.bpfglobals.runtime.internal.KprobeMulti;
import dev.bpfglobals.runtime.internal.Links;
import dev.bpfglobals.runtime.internal.UprobeMulti;
import dev.bpfglobals.runtime.testing.KernelExpectations;
import dev.bpfglobals.runtime.testing.KernelExpectations.Feature;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The kernel matrix's anchor: each of the library's own feature probes finds on each kernel exactly
 * what that kernel is stated to have ({@link KernelExpectations}, per CI leg), so a leg meant to run
 * the native paths (7.3) cannot pass by quietly falling back, and a probe that breaks fails on the
 * leg whose kernel has the feature.
 */
@RequiresBpf
class KernelFeaturesTest {

    /** Loopback's interface index in every network namespace. */
    private static final int LO = 1;

    @Test
    void thePerCpuProbesFindExactlyWhatThisKernelIsStatedToHave() {
        BpfFeatures probed = BpfFeatures.probe();
        Set<Feature> found = EnumSet.noneOf(Feature.class);
        if (probed.allCpusUpdate()) {
            found.add(Feature.ALL_CPUS);
        }
        if (probed.cpuFlag()) {
            found.add(Feature.CPU_FLAG);
        }
        if (probed.nativePercpuGlobals()) {
            found.add(Feature.NATIVE);
        }
        if (probed.btf()) {
            found.add(Feature.BTF);
        }

        assertThat(found).as("probed on this kernel:%n%s", probed.details())
                .isEqualTo(statedOf(EnumSet.of(Feature.ALL_CPUS, Feature.CPU_FLAG, Feature.NATIVE, Feature.BTF)));
    }

    @Test
    void theKprobeMultiProbeSaysWhatThisKernelIsStatedToHave() {
        assertThat(KprobeMulti.supported()).as("kprobe_multi links").isEqualTo(KernelExpectations.has(Feature.KPROBE_MULTI));
    }

    @Test
    void theUprobeMultiProbeSaysWhatThisKernelIsStatedToHave() {
        assertThat(UprobeMulti.supported()).as("uprobe_multi links").isEqualTo(KernelExpectations.has(Feature.UPROBE_MULTI));
    }

    @Test
    void theTcxQuerySaysWhatThisKernelIsStatedToHave() {
        assertThat(Links.kernelKnowsTcx(LO, TcxDirection.INGRESS.attachType())).as("TCX ingress")
                .isEqualTo(KernelExpectations.has(Feature.TCX));
        assertThat(Links.kernelKnowsTcx(LO, TcxDirection.EGRESS.attachType())).as("TCX egress")
                .isEqualTo(KernelExpectations.has(Feature.TCX));
    }

    @Test
    void aStatementNamingNoFeatureIsRefusedListingTheKnownOnes() {
        assertThat(KernelExpectations.parse("btf, kprobe-multi")).containsExactlyInAnyOrder(Feature.BTF, Feature.KPROBE_MULTI);
        assertThat(KernelExpectations.parse("none")).isEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> KernelExpectations.parse("btf,kprobes"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("names 'kprobes', which is no feature; known: all-cpus, cpu-flag, native, btf, kprobe,");
    }

    private static Set<Feature> statedOf(Set<Feature> among) {
        Set<Feature> stated = EnumSet.copyOf(KernelExpectations.stated());
        stated.retainAll(among);
        return stated;
    }
}
