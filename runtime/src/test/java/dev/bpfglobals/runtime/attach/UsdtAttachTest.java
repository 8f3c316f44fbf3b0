package dev.bpfglobals.runtime.attach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.runtime.BpfMap;
import dev.bpfglobals.runtime.BpfProgram;
import dev.bpfglobals.runtime.LoadedObject;
import dev.bpfglobals.runtime.ObjectSpec;
import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.runtime.testing.GlobalView;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * USDT probes of a small program this test compiles with cc and {@code <sys/sdt.h>}, read by
 * libbpf's own {@code usdt.bpf.h}: every argument (constants, 1-, 2- and 8-byte registers, a long
 * on the stack) summed exactly over a child's calls, a probe behind a semaphore that fires only
 * while attached, one process picked by pid, the section form, and the refusals.
 */
@RequiresBpf
class UsdtAttachTest {

    private static final int CALLS = 9;
    private static final String PROVIDER = "bpfglobals";

    @Test
    void everyArgumentOfEveryCallIsReadExactlyThroughUsdtBpfH() throws Exception {
        Path target = UsdtTarget.compile();
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("usdt"));
        try (LoadedObject loaded = LoadedObject.load(object); BpfProgram args = loaded.program("on_args")) {
            GlobalView bss = GlobalView.of(object, loaded, ".bss");
            Process child = UsdtTarget.start(target, CALLS);
            bss.setInt("target_tgid", (int) child.pid());
            try (Link link = args.attachUsdt(target, PROVIDER, "args", -1)) {
                UsdtTarget.release(child);
            }
            long n = CALLS;
            assertThat(bss.getLong("args_calls")).isEqualTo(n);
            assertThat(bss.getLong("arg_count")).as("bpf_usdt_arg_cnt").isEqualTo(6);
            assertThat(sum(bss, 0)).as("-4@$42").isEqualTo(42 * n);
            assertThat(sum(bss, 1)).as("-4@$-7").isEqualTo(-7 * n);
            assertThat(sum(bss, 2)).as("-1@%dl, signed bytes -1 .. -n").isEqualTo(-(n * (n + 1) / 2));
            assertThat(sum(bss, 3)).as("2@%cx, unsigned shorts 60000 + i").isEqualTo(60000 * n + n * (n - 1) / 2);
            assertThat(sum(bss, 4)).as("-8@%rax, 2^32 i + 7").isEqualTo((1L << 32) * (n * (n - 1) / 2) + 7 * n);
            assertThat(sum(bss, 5)).as("-8@8(%rsp), -2000 - i").isEqualTo(-2000 * n - n * (n - 1) / 2);
        }
    }

    @Test
    void aProbeBehindASemaphoreFiresOnlyWhileAttached() throws Exception {
        Path target = UsdtTarget.compile();
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("usdt"));
        try (LoadedObject loaded = LoadedObject.load(object); BpfProgram guarded = loaded.program("on_guarded")) {
            GlobalView bss = GlobalView.of(object, loaded, ".bss");
            Process child = UsdtTarget.start(target, CALLS);
            bss.setInt("target_tgid", (int) child.pid());
            try (Link link = guarded.attachUsdt(target, PROVIDER, "guarded", (int) child.pid())) {
                UsdtTarget.release(child);
            }
            assertThat(bss.getLong("guarded_calls")).as("the kernel raised the semaphore (ref_ctr_offset)").isEqualTo(CALLS);
            assertThat(bss.getLong("guarded_sum")).as("-4@%edi").isEqualTo(CALLS * (CALLS - 1) / 2);
        }
    }

    @Test
    void aProbeAttachedToOnePidCountsThatProcessAlone() throws Exception {
        Path target = UsdtTarget.compile();
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("usdt"));
        try (LoadedObject loaded = LoadedObject.load(object); BpfProgram args = loaded.program("on_args")) {
            GlobalView bss = GlobalView.of(object, loaded, ".bss");
            bss.setInt("target_tgid", 0); // the program counts every process; the attach picks one
            Process traced = UsdtTarget.start(target, 5);
            Process other = UsdtTarget.start(target, 3);
            try (Link link = args.attachUsdt(target, PROVIDER, "args", (int) traced.pid())) {
                UsdtTarget.release(other);
                UsdtTarget.release(traced);
            }
            assertThat(bss.getLong("args_calls")).as("calls of the traced pid only").isEqualTo(5);
        }
    }

    @Test
    void eachSitesAddressInAPidMapsToTheSpecIdItsCookieCarries() throws Exception {
        Path target = UsdtTarget.compile();
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("usdt"));
        try (LoadedObject loaded = LoadedObject.load(object); BpfProgram check = loaded.program("check_ip_map")) {
            GlobalView bss = GlobalView.of(object, loaded, ".bss");
            Process child = UsdtTarget.start(target, CALLS);
            bss.setInt("target_tgid", (int) child.pid());
            // The target is a PIE: its sites' addresses come from the child's /proc/PID/maps.
            try (Link link = check.attachUsdt(target, PROVIDER, "args", (int) child.pid())) {
                UsdtTarget.release(child);
            }
            assertThat(bss.getLong("ip_matches")).as("hits whose address maps to the cookie's spec id").isEqualTo(CALLS);
            assertThat(bss.getLong("ip_misses")).isZero();
            try (BpfMap ipMap = loaded.map("__bpf_usdt_ip_to_spec_id")) {
                assertThat(ipMap.keys()).as("the link's addresses are unmapped when it closes").isEmpty();
            }
        }
    }

    @Test
    void aUsdtSectionAttachesInEveryProcessAndWithoutSpecMaps() throws Exception {
        UsdtTarget.compile();
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("usdt"));
        try (LoadedObject loaded = LoadedObject.load(object)) {
            GlobalView bss = GlobalView.of(object, loaded, ".bss");
            Process child = UsdtTarget.start(UsdtTarget.compile(), CALLS);
            bss.setInt("target_tgid", (int) child.pid());
            try (Link link = loaded.attach("on_args_unread")) {
                UsdtTarget.release(child);
            }
            assertThat(bss.getLong("unread_calls")).isEqualTo(CALLS);
        }
    }

    @Test
    void aProbeTheFileLacksIsRefusedNamingIt() throws Exception {
        Path target = UsdtTarget.compile();
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("usdt"));
        try (LoadedObject loaded = LoadedObject.load(object); BpfProgram args = loaded.program("on_args")) {
            assertThatThrownBy(() -> args.attachUsdt(target, PROVIDER, "no_such_probe", -1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("USDT bpfglobals:no_such_probe in " + target + ": the file has no such USDT probe in its "
                            + ".note.stapsdt (list them with readelf -n " + target + ")");
        }
    }

    @Test
    void aUsdtSectionWithoutATargetIsRefusedNamingTheMethodThatTakesOne() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("usdt"));
        try (LoadedObject loaded = LoadedObject.load(object)) {
            assertThatThrownBy(() -> loaded.attach("on_args"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("program 'on_args' in section 'usdt' names no usdt target; attach it with the BpfProgram "
                            + "method that takes one (attachUsdt(binary, provider, name, pid))");
        }
    }

    private static long sum(GlobalView bss, int index) {
        return bss.memory().get(java.lang.foreign.ValueLayout.JAVA_LONG,
                bss.section().variable("sums").orElseThrow().offset() + 8L * index);
    }

    /** The probed program: compiled once, started waiting on stdin, released to fire its probes. */
    static final class UsdtTarget {

        private UsdtTarget() {
        }

        /** {@code target/test-bin/usdt_target}, compiled with cc from src/test/c when missing or older than its sources. */
        static synchronized Path compile() throws IOException, InterruptedException {
            Path main = Path.of("src/test/c/usdt_target.c");
            Path guarded = Path.of("src/test/c/usdt_guarded.c");
            Path binary = Files.createDirectories(Path.of("target/test-bin")).resolve("usdt_target");
            if (Files.exists(binary) && Files.getLastModifiedTime(binary).compareTo(Files.getLastModifiedTime(main)) > 0
                    && Files.getLastModifiedTime(binary).compareTo(Files.getLastModifiedTime(guarded)) > 0) {
                return binary.toAbsolutePath();
            }
            Process cc = new ProcessBuilder("cc", "-O2", "-o", binary.toString(), main.toString(), guarded.toString())
                    .redirectErrorStream(true).start();
            String output = new String(cc.getInputStream().readAllBytes());
            assertThat(cc.waitFor()).as("cc " + main + " (needs <sys/sdt.h>: apt-get install systemtap-sdt-dev): " + output)
                    .isZero();
            return binary.toAbsolutePath();
        }

        static Process start(Path target, int calls) throws IOException {
            return new ProcessBuilder(target.toString(), Integer.toString(calls)).redirectErrorStream(true).start();
        }

        /** Lets {@code child} fire its probes and waits for it to exit. */
        static void release(Process child) throws IOException, InterruptedException {
            try (OutputStream stdin = child.getOutputStream()) {
                stdin.write('\n');
            }
            assertThat(child.waitFor()).as("the target's exit status").isZero();
        }
    }
}
