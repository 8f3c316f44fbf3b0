package dev.bpfglobals.runtime.btf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A kernel's BTF as CO-RE relocations are resolved against it: the types, and an index of them by
 * essential name ({@link #essentialName}) for candidate lookup. The running kernel's
 * ({@code /sys/kernel/btf/vmlinux}, several MB and 100k+ types) is read once per process, when the
 * first object that needs it is loaded ({@link #running()}); any other kernel's can be read from a
 * file ({@link #read}), as libbpf's {@code btf_custom_path} does.
 */
public final class KernelBtf {

    /** Where the running kernel exposes its BTF ({@code CONFIG_DEBUG_INFO_BTF}). */
    public static final Path VMLINUX = Path.of("/sys/kernel/btf/vmlinux");

    private static final Object LOCK = new Object();
    private static volatile KernelBtf running;

    private final Btf btf;
    private final Path source;
    private final Map<String, int[]> byEssentialName;

    private KernelBtf(Btf btf, Path source) {
        this.btf = btf;
        this.source = source;
        Map<String, List<Integer>> index = new HashMap<>();
        // Lazily read types are indexed from their headers alone, without parsing them.
        LazyKernelTypes lazy = btf.types() instanceof LazyKernelTypes l ? l : null;
        for (int id = 1; id < btf.size(); id++) {
            BtfKind kind = lazy != null ? lazy.kind(id) : btf.types().get(id).kind();
            // Functions, variables, sections and tags are never the root of a relocation: half of vmlinux's names.
            if (kind == BtfKind.FUNC || kind == BtfKind.VAR || kind == BtfKind.DATASEC || kind == BtfKind.DECL_TAG) {
                continue;
            }
            String name = lazy != null ? lazy.name(id) : btf.types().get(id).name();
            if (!name.isEmpty()) {
                index.computeIfAbsent(essentialName(name), n -> new ArrayList<>(1)).add(id);
            }
        }
        Map<String, int[]> frozen = HashMap.newHashMap(index.size());
        index.forEach((name, ids) -> frozen.put(name, ids.stream().mapToInt(Integer::intValue).toArray()));
        this.byEssentialName = frozen;
    }

    /** Indexes {@code btf}, which was read from {@code source} (for messages). */
    public static KernelBtf of(Btf btf, Path source) {
        return new KernelBtf(Objects.requireNonNull(btf, "btf"), Objects.requireNonNull(source, "source"));
    }

    /**
     * The running kernel's BTF, read from {@link #VMLINUX} on the first call and kept for the
     * process. A failed read is not kept: the next call tries again.
     *
     * @throws IllegalStateException if the kernel exposes no BTF or it cannot be read
     */
    public static KernelBtf running() {
        KernelBtf known = running;
        if (known == null) {
            synchronized (LOCK) {
                known = running;
                if (known == null) {
                    known = read(VMLINUX);
                    running = known;
                }
            }
        }
        return known;
    }

    /**
     * A kernel's BTF from a file holding raw BTF, as {@code /sys/kernel/btf/vmlinux} does (what
     * {@code bpftool btf dump file ... format raw} reads, and pahole {@code --btf_encode_detached} writes).
     *
     * @throws IllegalStateException naming the file, if it cannot be read or is not BTF
     */
    public static KernelBtf read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read kernel BTF from " + file + " (" + e + ")"
                    + (file.equals(VMLINUX) ? "; this kernel may lack CONFIG_DEBUG_INFO_BTF: give the BTF of this kernel "
                    + "as a file to LoadedObject.load(object, features, kernelBtf)" : ""), new UncheckedIOException(e));
        }
        try {
            return new KernelBtf(file.equals(VMLINUX) ? BtfReader.readVerifiedByKernel(bytes) : BtfReader.read(bytes), file);
        } catch (BtfFormatException e) {
            throw new IllegalStateException("kernel BTF " + file + " is not readable BTF: " + e.getMessage(), e);
        }
    }

    /** The types. */
    public Btf btf() {
        return btf;
    }

    /** The file the types came from. */
    public Path source() {
        return source;
    }

    /**
     * The ids of every named type whose essential name is {@code essentialName}, in id order (empty
     * if none); functions, variables, DATASECs and declaration tags are not listed.
     */
    public int[] candidates(String essentialName) {
        int[] ids = byEssentialName.get(essentialName);
        return ids == null ? new int[0] : ids.clone();
    }

    /**
     * The id of the first type of {@code kind} named exactly {@code name} (a VAR or FUNC as
     * libbpf's {@code btf__find_by_name_kind} finds it for a {@code __ksym} extern), or empty. The
     * running kernel's types are compared by their headers alone, without parsing them.
     */
    public java.util.OptionalInt find(BtfKind kind, String name) {
        LazyKernelTypes lazy = btf.types() instanceof LazyKernelTypes l ? l : null;
        if (lazy == null) {
            return btf.find(kind, name);
        }
        for (int id = 1; id < btf.size(); id++) {
            if (lazy.kind(id) == kind && lazy.name(id).equals(name)) {
                return java.util.OptionalInt.of(id);
            }
        }
        return java.util.OptionalInt.empty();
    }

    /**
     * Whether type {@code localId} of {@code local} (an object's extern) may stand for type
     * {@code targetId} of this kernel, as libbpf's {@code bpf_core_types_are_compat} decides for
     * {@code __ksym} variables and kfunc prototypes: same kinds through typedefs and qualifiers,
     * integers without bit offsets, pointers and arrays by what they point to, function prototypes
     * parameter by parameter; structs, unions and enums by kind alone.
     */
    public boolean compatible(Btf local, int localId, int targetId) {
        return CoreCompat.typesCompatible(local, localId, btf, targetId);
    }

    /**
     * A name without its {@code ___flavor} suffix, as libbpf's {@code bpf_core_essential_name_len}
     * cuts it: at the last {@code ___} that has a character other than {@code _} on both sides
     * ({@code task_struct___old} is {@code task_struct}; {@code ___x} and {@code a____b} keep theirs).
     */
    public static String essentialName(String name) {
        for (int i = name.length() - 5; i >= 0; i--) {
            if (name.charAt(i) != '_' && name.charAt(i + 1) == '_' && name.charAt(i + 2) == '_'
                    && name.charAt(i + 3) == '_' && name.charAt(i + 4) != '_') {
                return name.substring(0, i + 1);
            }
        }
        return name;
    }

    @Override
    public String toString() {
        return "KernelBtf[" + source + ", " + (btf.size() - 1) + " types]";
    }
}
