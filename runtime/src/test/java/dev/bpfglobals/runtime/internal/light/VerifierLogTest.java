package dev.bpfglobals.runtime.internal.light;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The one line a refusal quotes from a verifier log, with and without 7.3's explained diagnostics. */
class VerifierLogTest {

    @Test
    void theClassicErrorLineIsTakenWhereTheLogEndsWithIt() {
        String log = "0: (95) exit\nR0 !read_ok\nprocessed 1 insns (limit 1000000) max_states_per_insn 0\n";

        assertThat(VerifierLog.lastError(log)).isEqualTo("R0 !read_ok");
    }

    @Test
    void theClassicErrorLineIsTakenBeforeTheDiagnosticsThatFollowItOnNewerKernels() {
        // The shape 7.3's kernel/bpf/diagnostics.c writes after the classic line.
        String log = "0: (95) exit\nR0 !read_ok\n\nVerification failed: Register Type Safety: R0 is not readable\n"
                + "\nAt:\n  ... ^-- error: R0 is not readable\n\nSuggestion:\n"
                + "  Initialize R0 on every path before this instruction.\n";

        assertThat(VerifierLog.lastError(log)).isEqualTo("R0 !read_ok");
    }

    @Test
    void anEmptyLogSaysSo() {
        assertThat(VerifierLog.lastError("")).isEqualTo("(no verifier log)");
    }
}
