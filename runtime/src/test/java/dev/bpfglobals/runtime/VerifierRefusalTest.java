package dev.bpfglobals.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.runtime.kernel.BpfException;
import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A program the verifier refuses, against the real kernel. (The other reliability tests bind
 * generated accessors, so they live in the test-fixtures module, as ReliabilityTest.)
 */
@RequiresBpf
class VerifierRefusalTest {

    private static long openFds() throws Exception {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    @Test
    void programRefusedByTheVerifierCarriesTheVerifierLogAndLeavesNoFd() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("refused"));
        long before = openFds();

        assertThatThrownBy(() -> LoadedObject.load(object))
                .isInstanceOf(BpfException.class)
                .hasMessageContaining("BPF_PROG_LOAD failed with EACCES")
                .hasMessageContaining("program 'unchecked'")
                .hasMessageContaining("invalid access to packet");
        assertThat(openFds()).isEqualTo(before);
    }
}
