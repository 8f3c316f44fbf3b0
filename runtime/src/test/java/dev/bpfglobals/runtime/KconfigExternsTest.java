package dev.bpfglobals.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.runtime.internal.loader.KconfigMap;
import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * {@code __kconfig} externs resolved as libbpf resolves them, on the real kernel: a program copies
 * each into {@code .bss}, and the test compares with what it reads from the kernel's configuration
 * file and {@code uname -r} itself.
 */
@RequiresBpf
class KconfigExternsTest {

    @Test
    void configValuesOfEveryKindAreTheKernelConfigurationsAndWeakMissingOnesAreZero() throws Exception {
        Map<String, String> config = kernelConfig();
        try (Results results = run(ObjectSpec.open(BpfObjects.compile("kconfig")))) {
            assertThat(results.u32("bpf_syscall")).isEqualTo(tristate(config.get("CONFIG_BPF_SYSCALL")));
            assertThat(results.u32("bpf_jit")).isEqualTo(config.get("CONFIG_BPF_JIT").equals("y") ? 1 : 0);
            assertThat(results.u32("bpf_char")).isEqualTo(config.get("CONFIG_BPF").charAt(0));
            assertThat(results.u32("hz")).isEqualTo(Integer.parseInt(config.get("CONFIG_HZ")));
            assertThat(results.u32("nr_cpus")).isEqualTo(Integer.parseInt(config.get("CONFIG_NR_CPUS")));
            String pointer = config.get("CONFIG_ILLEGAL_POINTER_VALUE");
            assertThat(results.u64("illegal_pointer_value"))
                    .isEqualTo(pointer == null ? 0 : Long.parseUnsignedLong(pointer.substring(2), 16));
            assertThat(results.string("hostname", 16)).isEqualTo(unquoted(config.get("CONFIG_DEFAULT_HOSTNAME"), 15));
            String localVersion = config.get("CONFIG_LOCALVERSION");
            assertThat(results.string("localversion", 3)).as("truncated to the array, NUL kept")
                    .isEqualTo(localVersion == null ? "" : unquoted(localVersion, 2));
            assertThat(results.u32("missing_tristate")).isZero();
            assertThat(results.u64("missing_number")).isZero();
        }
    }

    @Test
    void linuxKernelVersionIsUnamesReleaseAsKernelVersionComputesIt() throws Exception {
        String release = new String(new ProcessBuilder("uname", "-r").start().getInputStream().readAllBytes()).strip();
        String[] numbers = release.split("[^0-9]+");
        int expected = (Integer.parseInt(numbers[0]) << 16) + (Integer.parseInt(numbers[1]) << 8)
                + Math.min(Integer.parseInt(numbers[2]), 255);

        try (Results results = run(ObjectSpec.open(BpfObjects.compile("kconfig")))) {
            assertThat(results.u32("kernel_version")).as(release).isEqualTo(expected);
        }
    }

    @Test
    void computedLinuxValuesAreTheKernelsAndAWeakUnknownOneIsZero() throws Exception {
        // bpf_get_attach_cookie came with 5.15; libbpf's wrapper probe is a kprobe on __x64_sys_bpf,
        // which opens only where the kernel has a kprobe PMU.
        boolean kprobes = Files.isDirectory(Path.of("/sys/bus/event_source/devices/kprobe"));
        try (Results results = run(ObjectSpec.open(BpfObjects.compile("kconfig")))) {
            assertThat(results.u32("has_bpf_cookie")).isEqualTo(1);
            assertThat(results.u32("has_syscall_wrapper")).isEqualTo(kprobes ? 1 : 0);
            assertThat(results.u32("unknown_virtual")).isZero();
        }
    }

    @Test
    void theKconfigMapIsReadOnlyToProgramsAndFrozen() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("kconfig"));
        try (LoadedObject loaded = LoadedObject.load(object)) {
            MemorySegment view = loaded.globalData(".kconfig");

            assertThat(view.isReadOnly()).isTrue();
            assertThat(view.byteSize()).isEqualTo(KconfigMap.of(object.image()).orElseThrow().size());
        }
    }

    @Test
    void theKconfigMapHoldsTheBytesLibbpfPutsInItsOwn() throws Exception {
        Path object = BpfObjects.compile("kconfig");
        Path pins = dev.bpfglobals.runtime.testing.BpfPins.path("kconfig");
        byte[] libbpf;
        try {
            Process load = new ProcessBuilder("bpftool", "prog", "loadall", object.toString(), pins.toString(), "pinmaps",
                    pins.resolve("maps").toString()).redirectErrorStream(true).start();
            String output = new String(load.getInputStream().readAllBytes());
            assertThat(load.waitFor()).as(output).isZero();
            // bpftool pins libbpf's "kconfig.kconfig" map under its name with '.' made '_'.
            Process dump = new ProcessBuilder("bpftool", "-j", "map", "dump", "pinned", pins.resolve("maps/kconfig_kconfig").toString())
                    .redirectErrorStream(true).start();
            libbpf = hexBytes(new String(dump.getInputStream().readAllBytes()));
            assertThat(dump.waitFor()).isZero();
        } finally {
            try (var files = Files.walk(pins)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }

        try (LoadedObject loaded = LoadedObject.load(ObjectSpec.open(object))) {
            assertThat(loaded.globalData(".kconfig").toArray(ValueLayout.JAVA_BYTE)).isEqualTo(libbpf);
        }
    }

    /** The raw value bytes of bpftool's JSON dump of a one-entry map ({@code "value":["0x2c","0x12",...]}). */
    private static byte[] hexBytes(String dump) {
        int start = dump.indexOf("\"value\":[") + "\"value\":[".length();
        String[] hex = dump.substring(start, dump.indexOf(']', start)).replace("\"", "").replace("0x", "").split(",");
        byte[] out = new byte[hex.length];
        for (int i = 0; i < hex.length; i++) {
            out[i] = (byte) Integer.parseInt(hex[i], 16);
        }
        return out;
    }

    @Test
    void aStrongExternTheConfigurationLacksIsRefusedNamingIt() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compileVariant("kconfig", "strong", "-DSTRONG_MISSING"));

        assertThatThrownBy(() -> LoadedObject.load(object))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("__kconfig extern 'CONFIG_BPF_GLOBALS_NO_SUCH_STRONG' is not set in this kernel's configuration "
                        + "(no CONFIG_BPF_GLOBALS_NO_SUCH_STRONG=... line); declare it __weak to get 0 where it is missing, "
                        + "as libbpf gives it");
    }

    /** The program's copies in .bss after one run. */
    private record Results(LoadedObject loaded, ObjectSpec object) implements AutoCloseable {
        /** The variable's bytes: in .data when the C gives it a value other than 0, else in .bss. */
        private MemorySegment values(String name) {
            for (String section : new String[] {".data", ".bss"}) {
                var variable = object.globalSection(section).flatMap(s -> s.variable(name));
                if (variable.isPresent()) {
                    return loaded.globalData(section).asSlice(variable.get().offset());
                }
            }
            throw new AssertionError("no variable " + name);
        }

        int u32(String name) {
            return values(name).get(ValueLayout.JAVA_INT, 0);
        }

        long u64(String name) {
            return values(name).get(ValueLayout.JAVA_LONG, 0);
        }

        String string(String name, int size) {
            byte[] bytes = values(name).asSlice(0, size).toArray(ValueLayout.JAVA_BYTE);
            int end = 0;
            while (end < size && bytes[end] != 0) {
                end++;
            }
            return new String(bytes, 0, end, StandardCharsets.UTF_8);
        }

        @Override
        public void close() {
            loaded.close();
        }
    }

    private static Results run(ObjectSpec object) {
        LoadedObject loaded = LoadedObject.load(object);
        try (BpfProgram program = loaded.program("read_kconfig")) {
            program.testRunOnCpu(new long[0], PossibleCpus.system().cpuAt(0));
        }
        return new Results(loaded, object);
    }

    /** The kernel's configuration, read here as libbpf finds it, independently of the loader. */
    private static Map<String, String> kernelConfig() throws Exception {
        String release = new String(new ProcessBuilder("uname", "-r").start().getInputStream().readAllBytes()).strip();
        Path boot = Path.of("/boot/config-" + release);
        var in = Files.isReadable(boot) ? Files.newInputStream(boot) : new GZIPInputStream(Files.newInputStream(Path.of("/proc/config.gz")));
        Map<String, String> values = new HashMap<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            reader.lines().filter(l -> l.startsWith("CONFIG_") && l.contains("="))
                    .forEach(l -> values.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
        }
        return values;
    }

    private static int tristate(String value) {
        return value == null || value.equals("n") ? 0 : value.equals("y") ? 1 : 2;
    }

    private static String unquoted(String value, int max) {
        String text = value.substring(1, value.length() - 1);
        return text.length() > max ? text.substring(0, max) : text;
    }
}
