package dev.bpfglobals.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/kernel-vm.d/jvm-crashes} decides whether a failed kernel-VM leg may run once more because a
 * JVM crashed: only where every crash report names a signal and a frame of the JVM's own (compiled Java,
 * a stub, libjvm.so), as the emulator's crashes do. A crash in other native code, in a raw memory access
 * or in this project's own compiled code could be this project's doing, and no report at all means a
 * real failure: none of these is retried.
 * The reports' lines are those JDK 25 wrote here for real crashes.
 */
class JvmCrashesScriptTest {

    private static final Path SCRIPT = Path.of("").toAbsolutePath().getParent().resolve("bin/kernel-vm.d/jvm-crashes");
    private static final String SIGSEGV = "#  SIGSEGV (0xb) at pc=0x00007f4b16033f9d, pid=27142, tid=27144";

    @TempDir
    Path dir;

    @Test
    void aCrashInC1CompiledJavaIsTheEmulatorsAndNamed() throws Exception {
        report(1, SIGSEGV, "# J 1234 c1 java.lang.Math.max(II)I java.base (11 bytes) @ 0x00007f0c1 [0x00007f0c0+0x40]");
        assertThat(run()).isEqualTo("0 hs_err_pid1.log: SIGSEGV (0xb) at pc=0x00007f4b16033f9d, pid=27142, tid=27144; "
                + "frame: J 1234 c1 java.lang.Math.max(II)I java.base (11 bytes) @ 0x00007f0c1 [0x00007f0c0+0x40]");
    }

    @Test
    void crashesInAStubAndInLibjvmAreTheEmulatorsToo() throws Exception {
        report(1, "#  SIGILL (0x4) at pc=0x00007f00, pid=1, tid=2", "# v  ~StubRoutines::sha256_implCompressMB 0x00007f1");
        report(2, SIGSEGV, "# V  [libjvm.so+0x5a1b2c]  nmethod::oops_do(OopClosure*, bool)+0x3c");
        assertThat(run()).startsWith("0 ");
    }

    @Test
    void aCrashInOtherNativeCodeIsNotRetried() throws Exception {
        report(1, SIGSEGV, "# J 1234 c1 java.lang.Math.max(II)I java.base (11 bytes) @ 0x1");
        report(2, SIGSEGV, "# C  [libc.so.6+0x167ad8]");
        assertThat(run()).startsWith("1 ").contains("frame: C  [libc.so.6+0x167ad8]");
    }

    @Test
    void aCrashInARawMemoryAccessIsNotRetried() throws Exception {
        report(1, SIGSEGV, "# V  [libjvm.so+0x1233f9d]  Unsafe_GetLong+0xad");
        assertThat(run()).startsWith("1 ");
    }

    @Test
    void aCrashInThisProjectsCompiledCodeIsNotRetried() throws Exception {
        report(1, SIGSEGV, "# J 2345 c1 dev.bpfglobals.runtime.PerCpuSnapshot.sumLong(J)J (48 bytes) @ 0x00007f0c1");
        assertThat(run()).startsWith("1 ");
    }

    @Test
    void aReportThatIsNoCrashIsNotRetried() throws Exception {
        report(1, "# There is insufficient memory for the Java Runtime Environment to continue.", "");
        assertThat(run()).startsWith("1 ").contains("no signal, not a crash");
    }

    @Test
    void noReportIsARealFailure() throws Exception {
        assertThat(run()).isEqualTo("1");
    }

    /** Writes {@code hs_err_pidPID.log} with the header lines a JDK 25 crash report starts with. */
    private void report(int pid, String what, String frame) throws IOException {
        String text = String.join("\n", "#", "# A fatal error has been detected by the Java Runtime Environment:", "#", what, "#",
                "# JRE version: OpenJDK Runtime Environment Temurin-25.0.3+9 (25.0.3+9) (build 25.0.3+9-LTS)",
                frame.isEmpty() ? "#" : "# Problematic frame:", frame.isEmpty() ? "#" : frame, "#", "",
                "---------------  S U M M A R Y ------------", "");
        Files.writeString(dir.resolve("hs_err_pid" + pid + ".log"), text, StandardCharsets.UTF_8);
    }

    /** The script's exit code and what it printed, on the reports in {@link #dir}. */
    private String run() throws IOException, InterruptedException {
        Process script = new ProcessBuilder("bash", SCRIPT.toString(), dir.toString()).redirectErrorStream(true).start();
        String out = new String(script.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        return (script.waitFor() + " " + out).strip();
    }
}
