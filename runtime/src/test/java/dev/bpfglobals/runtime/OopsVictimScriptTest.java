package dev.bpfglobals.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/kernel-vm.d/oops-victim} decides whether a failed kernel-VM leg may run once more: only
 * where the guest's console shows the emulator's int3 oops and every failure is in the test class
 * that was running when it appeared (none, where the oops ended the guest while Maven was still
 * building). Anything else is a real failure and must not be retried away.
 */
class OopsVictimScriptTest {

    private static final Path SCRIPT = Path.of("").toAbsolutePath().getParent().resolve("bin/kernel-vm.d/oops-victim");
    private static final String RUNNING = "[INFO] Running dev.bpfglobals.runtime.attach.KprobeAttachTest";
    private static final String INT3 = "[   12.345678] Oops: int3: 0000 [#1] PREEMPT SMP NOPTI";
    private static final String FAILED_THERE = "[ERROR] Tests run: 2, Failures: 0, Errors: 1, Skipped: 0, Time elapsed: 1 s "
            + "<<< FAILURE! -- in dev.bpfglobals.runtime.attach.KprobeAttachTest";

    @TempDir
    Path dir;

    @Test
    void anInt3OopsThatFailedOnlyTheRunningClassNamesThatClass() throws Exception {
        assertThat(run(RUNNING, INT3, FAILED_THERE)).isEqualTo("0 dev.bpfglobals.runtime.attach.KprobeAttachTest");
    }

    @Test
    void anOlderKernelsInt3LineWithoutOopsCountsToo() throws Exception {
        assertThat(run(RUNNING, "[    1.000000] int3: 0000 [#1] SMP", "[ERROR] The forked VM terminated without properly saying goodbye"))
                .isEqualTo("0 dev.bpfglobals.runtime.attach.KprobeAttachTest");
    }

    @Test
    void aFailureInAnotherClassIsNotRetried() throws Exception {
        assertThat(run(RUNNING, INT3, FAILED_THERE,
                "[ERROR] Tests run: 1, Failures: 1 <<< FAILURE! -- in dev.bpfglobals.runtime.PerCpuGlobalsTest")).startsWith("1");
    }

    @Test
    void aFailureWithoutAnOopsIsNotRetried() throws Exception {
        assertThat(run(RUNNING, FAILED_THERE)).startsWith("1");
    }

    @Test
    void anOopsLineInsideAnotherLineDoesNotCount() throws Exception {
        assertThat(run(RUNNING, "[INFO] DEBUG: int3: 0000 [#1] was printed by a test", FAILED_THERE)).startsWith("1");
    }

    @Test
    void aFailureInATestThatStartedAfterTheOopsIsNotRetried() throws Exception {
        assertThat(run(INT3, RUNNING, FAILED_THERE)).startsWith("1");
    }

    @Test
    void anOopsThatEndedTheGuestWhileMavenBuiltIsRetriedNamingNoTest() throws Exception {
        assertThat(run("[INFO] Building bpf-globals runtime", INT3, "[  126.1] Kernel panic - not syncing: Fatal exception"))
                .isEqualTo("0 no test class");
    }

    /** The script's exit code and what it printed, on a log of these lines. */
    private String run(String... lines) throws IOException, InterruptedException {
        Path log = Files.write(dir.resolve("leg.log"), String.join("\n", lines).concat("\n").getBytes(StandardCharsets.UTF_8));
        Process script = new ProcessBuilder("bash", SCRIPT.toString(), log.toString()).redirectErrorStream(true).start();
        String out = new String(script.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        return (script.waitFor() + " " + out).strip();
    }
}
