package dev.bpfglobals.runtime.internal.kernelenv;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * The running kernel's build configuration and version, read where libbpf reads them for
 * {@code __kconfig} externs: {@code /boot/config-$(uname -r)}, else {@code /proc/config.gz}
 * (either plain or gzip), and the release {@code uname -r} reports.
 */
public final class KernelConfig {

    public static final Path PROC_CONFIG = Path.of("/proc/config.gz");
    private static final Path OS_RELEASE = Path.of("/proc/sys/kernel/osrelease");
    /** Ubuntu's kernels report the upstream version here, which libbpf prefers to {@code uname}'s. */
    private static final Path UBUNTU_VERSION = Path.of("/proc/version_signature");

    private KernelConfig() {
    }

    /** {@code uname -r}. */
    public static String release() {
        try {
            return Files.readString(OS_RELEASE).strip();
        } catch (IOException e) {
            return System.getProperty("os.version");
        }
    }

    /** Where libbpf looks for the configuration, in its order. */
    public static java.util.List<Path> candidates() {
        return java.util.List.of(Path.of("/boot/config-" + release()), PROC_CONFIG);
    }

    /**
     * Every {@code CONFIG_NAME=value} line of the first readable configuration file, value as written
     * ({@code y}, {@code m}, {@code "text"}, {@code 250}, {@code 0x1000000}); {@code # CONFIG_X is not set}
     * lines are absent, as they are to libbpf.
     *
     * @throws IllegalStateException when neither file is readable, naming both
     */
    public static Map<String, String> read() {
        for (Path file : candidates()) {
            if (Files.isReadable(file)) {
                try {
                    return parse(file);
                } catch (IOException e) {
                    throw new UncheckedIOException("reading " + file + ": " + e.getMessage(), e);
                }
            }
        }
        throw new IllegalStateException("the object has CONFIG_* __kconfig externs, but neither " + candidates().get(0)
                + " nor " + PROC_CONFIG + " is readable (libbpf needs one of them too): install the kernel's config file"
                + " there, or build the kernel with CONFIG_IKCONFIG_PROC");
    }

    public static Map<String, String> parse(Path file) throws IOException {
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = new java.io.BufferedInputStream(raw)) {
            in.mark(2);
            boolean gzip = in.read() == 0x1f && in.read() == 0x8b;
            in.reset();
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(gzip ? new GZIPInputStream(in) : in,
                    StandardCharsets.UTF_8))) {
                return parse(lines.lines());
            }
        }
    }

    /** libbpf's {@code bpf_object__process_kconfig_line}: {@code CONFIG_} lines with a value; the first one of a name wins. */
    public static Map<String, String> parse(java.util.stream.Stream<String> lines) {
        Map<String, String> values = new LinkedHashMap<>();
        lines.filter(l -> l.startsWith("CONFIG_")).forEach(line -> {
            int separator = line.indexOf('=');
            if (separator < 0 || separator == line.length() - 1) {
                throw new IllegalStateException("kernel configuration line '" + line + "' has no value");
            }
            values.putIfAbsent(line.substring(0, separator), line.substring(separator + 1));
        });
        return values;
    }

    /**
     * {@code LINUX_KERNEL_VERSION} as libbpf's {@code get_kernel_version} computes it:
     * {@code KERNEL_VERSION(major, minor, min(patch, 255))} from Ubuntu's version signature where there
     * is one, else from {@code uname -r}; empty when the release does not start with three numbers.
     */
    public static Optional<Integer> version() {
        if (Files.isReadable(UBUNTU_VERSION)) {
            try {
                String[] fields = Files.readString(UBUNTU_VERSION).strip().split("\\s+");
                if (fields.length >= 3) {
                    Optional<Integer> ubuntu = version(fields[2]);
                    if (ubuntu.isPresent()) {
                        return ubuntu;
                    }
                }
            } catch (IOException e) {
                // libbpf falls back to uname too
            }
        }
        return version(release());
    }

    /** The version code of a release string such as {@code 6.18.44-fc-v1045}, as C's {@code sscanf("%u.%u.%u")} reads it. */
    public static Optional<Integer> version(String release) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(\\d+)\\.(\\d+)\\.(\\d+)").matcher(release);
        if (!m.find()) {
            return Optional.empty();
        }
        try {
            int major = Integer.parseInt(m.group(1));
            int minor = Integer.parseInt(m.group(2));
            int patch = Integer.parseInt(m.group(3));
            return Optional.of((major << 16) + (minor << 8) + Math.min(patch, 255));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
