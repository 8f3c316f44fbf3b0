package dev.bpfglobals.runtime.attach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.runtime.BpfProgram;
import dev.bpfglobals.runtime.LoadedObject;
import dev.bpfglobals.runtime.ObjectSpec;
import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.runtime.testing.GlobalView;
import dev.bpfglobals.runtime.testing.KernelExpectations;
import dev.bpfglobals.runtime.testing.KernelExpectations.Feature;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import dev.bpfglobals.runtime.testing.TestBinaries;
import dev.bpfglobals.runtime.testing.Syscalls;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.SequencedMap;
import org.junit.jupiter.api.Test;

/**
 * A caller's own {@code bpf_cookie} ({@link AttachOptions}) reaches the program through
 * {@code bpf_get_attach_cookie} on a uprobe, a uprobe.multi link (one cookie per function), a
 * tracepoint, a kprobe and an fentry link; a uprobe's semaphore ({@code ref_ctr_offset}) is raised
 * in the probed process while it is attached, and a uprobe for one process fires in that one alone.
 * Kprobes and fentry run where the leg states them (7.3, 6.1); elsewhere their refusal is asserted.
 */
@RequiresBpf
class CookieAttachTest {

    private static final int CALLS = 5;
    private static final long COOKIE = 0x0123_4567_89ab_cdefL;

    @Test
    void aUprobesCookieIsWhatItsProgramReads() throws Exception {
        Path target = TestBinaries.compile("uprobe_multi_target");
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("cookies"));
        try (LoadedObject loaded = LoadedObject.load(object);
             BpfProgram program = loaded.program("uprobe_with_cookie")) {
            GlobalView bss = GlobalView.of(object, loaded, ".bss");
            Process child = start(target);
            bss.setInt("target_tgid", (int) child.pid());
            try (Link link = program.attachUprobe(target, "bpfglobals_single", false, AttachOptions.cookie(COOKIE))) {
                release(child);
            }
            assertThat(bss.getLong("uprobe_calls")).isEqualTo(CALLS);
            assertThat(bss.getLong("uprobe_cookie")).isEqualTo(COOKIE);
        }
    }

    @Test
    void aUprobeForOneProcessFiresInThatOneAlone() throws Exception {
        Path target = TestBinaries.compile("uprobe_multi_target");
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("cookies"));
        try (LoadedObject loaded = LoadedObject.load(object);
             BpfProgram program = loaded.program("uprobe_with_cookie")) {
            GlobalView bss = GlobalView.of(object, loaded, ".bss");
            Process watched = start(target);
            Process other = start(target);
            try (Link link = program.attachUprobe(target, "bpfglobals_single", false, AttachOptions.cookie(7).withPid((int) watched.pid()))) {
                release(other);
                assertThat(bss.getLong("uprobe_calls")).as("another process runs the file").isZero();
                release(watched);
            }
            assertThat(bss.getLong("uprobe_calls")).isEqualTo(CALLS);
            assertThat(bss.getLong("uprobe_cookie")).isEqualTo(7);
        }
    }

    @Test
    void aUprobesSemaphoreIsRaisedWhileItIsAttached() throws Exception {
        Path target = TestBinaries.compile("semaphore_target");
        long semaphore = fileOffsetOf(target, "bpfglobals_semaphore");
        try (LoadedObject loaded = LoadedObject.load(ObjectSpec.open(BpfObjects.compile("cookies")));
             BpfProgram program = loaded.program("uprobe_with_cookie")) {
            Process without = start(target);
            try (Link plain = program.attachUprobe(target, "bpfglobals_semaphore_check", false, AttachOptions.NONE)) {
                assertThat(releaseAndRead(without)).as("no semaphore given").isEqualTo("0");
            }
            Process with = start(target);
            try (Link guarded = program.attachUprobe(target, "bpfglobals_semaphore_check", false,
                    AttachOptions.NONE.withRefCtrOffset(semaphore))) {
                assertThat(releaseAndRead(with)).as("the kernel raised the semaphore at 0x" + Long.toHexString(semaphore))
                        .isEqualTo(Integer.toString(CALLS));
            }
        }
    }

    @Test
    void eachFunctionOfAUprobeMultiLinkHasItsOwnCookie() throws Exception {
        Path target = TestBinaries.compile("uprobe_multi_target");
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("cookies"));
        SequencedMap<String, Long> cookies = new LinkedHashMap<>();
        cookies.put("bpfglobals_multi_one", 1L);
        cookies.put("bpfglobals_multi_three", 100L);
        try (LoadedObject loaded = LoadedObject.load(object);
             BpfProgram program = loaded.program("multi_with_cookies")) {
            if (!KernelExpectations.has(Feature.UPROBE_MULTI)) {
                assertThatThrownBy(() -> program.attachUprobeMulti(target, cookies, false))
                        .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("6.6+");
                return;
            }
            GlobalView bss = GlobalView.of(object, loaded, ".bss");
            Process child = start(target);
            bss.setInt("target_tgid", (int) child.pid());
            try (Link link = program.attachUprobeMulti(target, cookies, false)) {
                release(child);
            }
            assertThat(bss.getLong("multi_calls")).isEqualTo(2L * CALLS);
            assertThat(bss.getLong("multi_cookie_sum")).as("each call read its own function's cookie").isEqualTo(101L * CALLS);
        }
    }

    @Test
    void aTracepointsCookieIsWhatItsProgramReads() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("cookies"));
        try (LoadedObject loaded = LoadedObject.load(object);
             BpfProgram program = loaded.program("tracepoint_with_cookie")) {
            GlobalView bss = GlobalView.of(object, loaded, ".bss");
            bss.setInt("target_tgid", (int) ProcessHandle.current().pid());
            try (Link link = program.attachTracepoint("syscalls", "sys_enter_getpid", AttachOptions.cookie(COOKIE))) {
                for (int i = 0; i < CALLS; i++) {
                    Syscalls.getpid();
                }
            }
            assertThat(bss.getLong("tracepoint_calls")).isEqualTo(CALLS);
            assertThat(bss.getLong("tracepoint_cookie")).isEqualTo(COOKIE);
            assertThatThrownBy(() -> program.attachTracepoint("syscalls", "sys_enter_getpid", AttachOptions.cookie(1).withPid(1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("are uprobe options");
        }
    }

    @Test
    void aKprobesCookieIsWhatItsProgramReads() throws Exception {
        String handler = Syscalls.handler("getpid");
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("cookies"));
        try (LoadedObject loaded = LoadedObject.load(object);
             BpfProgram program = loaded.program("kprobe_with_cookie")) {
            if (!KernelExpectations.has(Feature.KPROBE)) {
                assertThatThrownBy(() -> program.attachKprobe(handler, false, AttachOptions.cookie(COOKIE)))
                        .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("CONFIG_KPROBES");
                return;
            }
            GlobalView bss = GlobalView.of(object, loaded, ".bss");
            bss.setInt("target_tgid", (int) ProcessHandle.current().pid());
            try (Link link = program.attachKprobe(handler, false, AttachOptions.cookie(COOKIE))) {
                for (int i = 0; i < CALLS; i++) {
                    Syscalls.getpid();
                }
            }
            assertThat(bss.getLong("kprobe_calls")).isEqualTo(CALLS);
            assertThat(bss.getLong("kprobe_cookie")).isEqualTo(COOKIE);
        }
    }

    @Test
    void anFentryLinksCookieIsWhatItsProgramReads() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("cookie_fentry"));
        if (!KernelExpectations.has(Feature.FENTRY)) {
            assertThatThrownBy(() -> LoadedObject.load(object).close())
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("was refused with EPERM");
            return;
        }
        try (LoadedObject loaded = LoadedObject.load(object);
             BpfProgram program = loaded.program("fentry_with_cookie")) {
            GlobalView bss = GlobalView.of(object, loaded, ".bss");
            bss.setInt("target_tgid", (int) ProcessHandle.current().pid());
            try (Link link = program.attachTracing(AttachOptions.cookie(COOKIE))) {
                for (int i = 0; i < CALLS; i++) {
                    Syscalls.getpgid();
                }
            }
            assertThat(bss.getLong("fentry_calls")).isEqualTo(CALLS);
            assertThat(bss.getLong("fentry_cookie")).isEqualTo(COOKIE);
        }
    }

    /** A target started with {@link #CALLS}, waiting on stdin. */
    private static Process start(Path target) throws IOException {
        return new ProcessBuilder(target.toString(), Integer.toString(CALLS)).redirectErrorStream(true).start();
    }

    private static void release(Process child) throws IOException, InterruptedException {
        releaseAndRead(child);
    }

    /** Lets {@code child} make its calls; what it printed, once it exited 0. */
    private static String releaseAndRead(Process child) throws IOException, InterruptedException {
        try (OutputStream stdin = child.getOutputStream()) {
            stdin.write('\n');
        }
        String output = new String(child.getInputStream().readAllBytes()).strip();
        assertThat(child.waitFor()).as("the target's exit status: " + output).isZero();
        return output;
    }

    /** The file offset of data symbol {@code symbol}: its address, less its section's address, plus its section's offset (readelf). */
    private static long fileOffsetOf(Path binary, String symbol) throws IOException, InterruptedException {
        String symbols = readelf("-sW", binary);
        String line = symbols.lines().filter(l -> l.trim().endsWith(" " + symbol)).findFirst().orElseThrow();
        String[] fields = line.trim().split("\\s+");
        long address = Long.parseLong(fields[1], 16);
        int sectionIndex = Integer.parseInt(fields[6]);
        String section = readelf("-SW", binary).lines().filter(l -> l.trim().startsWith("[" + (sectionIndex < 10 ? " " : "") + sectionIndex + "]"))
                .findFirst().orElseThrow();
        String[] columns = section.substring(section.indexOf(']') + 1).trim().split("\\s+");
        return address - Long.parseLong(columns[2], 16) + Long.parseLong(columns[3], 16);
    }

    private static String readelf(String option, Path binary) throws IOException, InterruptedException {
        Process readelf = new ProcessBuilder("readelf", option, binary.toString()).redirectErrorStream(true).start();
        String output = new String(readelf.getInputStream().readAllBytes());
        assertThat(readelf.waitFor()).as(output).isZero();
        return output;
    }
}
