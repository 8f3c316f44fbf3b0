package dev.bpfglobals.skeleton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.runtime.kernel.BpfException;
import dev.bpfglobals.runtime.testing.KernelExpectations;

/** The lines a signed light load is refused with, by the leg's stated {@code signed-prog}. */
final class SignedLightLoadAssertions {

    private SignedLightLoadAssertions() {
    }

    /** Refused as a signature that did not verify against {@code keyring}, where the leg has signed programs. */
    static void assertNotVerified(Runnable load, String errno, int keyring) {
        if (!KernelExpectations.has(KernelExpectations.Feature.SIGNED_PROG)) {
            assertThatThrownBy(load::run).isInstanceOf(BpfException.class)
                    .satisfies(e -> assertThat(e.getMessage()).containsAnyOf("this kernel has no signed BPF programs",
                            "this kernel cannot verify signatures").doesNotContain("\n"));
            return;
        }
        assertThatThrownBy(load::run).isInstanceOf(BpfException.class)
                .hasMessageStartingWith("BPF_PROG_LOAD failed with " + errno + " (signed light skeleton loader, keyring " + keyring
                        + "): the signature did not verify against keyring " + keyring + " (" + errno + ": ")
                .hasMessageNotContaining("\n");
    }
}
