package dev.bpfglobals.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bpfglobals.runtime.testing.RequiresBpf;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The kernel matrix's anchor: the probe finds on each kernel exactly what that kernel is known to
 * have, so a leg meant to run the native paths (7.3) cannot pass by quietly falling back. CI names
 * the expectation per kernel with {@code -Dbpfglobals.expectFeatures=all-cpus,cpu-flag,native,btf}
 * (or {@code none}); a developer's run without it skips this one test and says so.
 */
@RequiresBpf
class KernelFeaturesTest {

    @Test
    void theProbeFindsExactlyTheFeaturesThisKernelIsExpectedToHave() {
        String expected = System.getProperty("bpfglobals.expectFeatures", "").strip();
        Assumptions.assumeFalse(expected.isEmpty(),
                "no -Dbpfglobals.expectFeatures for this kernel (CI sets it for each kernel of the matrix)");
        BpfFeatures probed = BpfFeatures.probe();

        assertThat(found(probed)).as("probed on this kernel:%n%s", probed.details()).isEqualTo(parse(expected));
    }

    private static Set<String> found(BpfFeatures features) {
        Set<String> found = new TreeSet<>();
        if (features.allCpusUpdate()) {
            found.add("all-cpus");
        }
        if (features.cpuFlag()) {
            found.add("cpu-flag");
        }
        if (features.nativePercpuGlobals()) {
            found.add("native");
        }
        if (features.btf()) {
            found.add("btf");
        }
        return found;
    }

    private static Set<String> parse(String expected) {
        if (expected.equals("none")) {
            return Set.of();
        }
        return Arrays.stream(expected.split(",")).map(String::strip).collect(Collectors.toCollection(TreeSet::new));
    }
}
