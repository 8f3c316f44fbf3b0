package dev.bpfglobals.runtime;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How {@link LoadedObject#load(ObjectSpec, LoadOptions)} loads an object: with which kernel
 * features, against which kernel BTF, and where maps declared {@code __uint(pinning,
 * LIBBPF_PIN_BY_NAME)} are pinned and found again (libbpf's {@code pin_root_path}).
 *
 * @param features  what the kernel can do; {@code null} to probe the running kernel
 * @param kernelBtf a raw kernel BTF file to resolve CO-RE relocations against; {@code null} for the running kernel's
 * @param pinRoot   the directory on a bpffs mount where pinned-by-name maps live, as {@code PIN_ROOT/NAME}
 */
public record LoadOptions(BpfFeatures features, Path kernelBtf, Path pinRoot) {

    /** libbpf's default pin root, {@code /sys/fs/bpf}. */
    public static final Path DEFAULT_PIN_ROOT = Path.of("/sys/fs/bpf");

    /** Checks that a pin root is given. */
    public LoadOptions {
        Objects.requireNonNull(pinRoot, "pinRoot");
    }

    /**
     * The options {@link LoadedObject#load(ObjectSpec)} uses: probed features, the running kernel's
     * BTF and the pin root {@code /sys/fs/bpf}.
     *
     * @return the default options
     */
    public static LoadOptions defaults() {
        return new LoadOptions(null, null, DEFAULT_PIN_ROOT);
    }

    /**
     * These options with pinned-by-name maps under {@code directory} instead.
     *
     * @param directory a directory on a bpffs mount; made (with its parents) where it does not exist
     * @return the changed options
     */
    public LoadOptions withPinRoot(Path directory) {
        return new LoadOptions(features, kernelBtf, Objects.requireNonNull(directory, "directory"));
    }

    /**
     * These options with the given kernel features instead of probed ones.
     *
     * @param kernelFeatures what the kernel can do
     * @return the changed options
     */
    public LoadOptions withFeatures(BpfFeatures kernelFeatures) {
        return new LoadOptions(Objects.requireNonNull(kernelFeatures, "kernelFeatures"), kernelBtf, pinRoot);
    }

    /**
     * These options with CO-RE relocations resolved against the raw kernel BTF in {@code file}.
     *
     * @param file a raw BTF file, as {@code /sys/kernel/btf/vmlinux} is
     * @return the changed options
     */
    public LoadOptions withKernelBtf(Path file) {
        return new LoadOptions(features, Objects.requireNonNull(file, "file"), pinRoot);
    }
}
