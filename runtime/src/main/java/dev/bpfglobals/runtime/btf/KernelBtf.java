package dev.bpfglobals.runtime.btf;

import dev.bpfglobals.runtime.kernel.BoundedFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A kernel's BTF as CO-RE relocations are resolved against it: the types, and an index of them by
 * essential name ({@link #essentialName}) for candidate lookup. The running kernel's
 * ({@code /sys/kernel/btf/vmlinux}, several MB and 100k+ types) is read once per process, when the
 * first object that needs it is loaded ({@link #running()}); any other kernel's can be read from a
 * file ({@link #read}), as libbpf's {@code btf_custom_path} does.
 *
 * <p>A loaded module's BTF ({@code /sys/kernel/btf/MODULE}, {@link #module}) is split BTF on top of
 * vmlinux's: its {@link #btf()} holds vmlinux's types and then the module's, in the kernel's one id
 * space, and its index ({@link #candidates}, {@link #find}) lists the module's own types only, as
 * libbpf searches each module for what vmlinux lacks.
 */
public final class KernelBtf {

    /** Where the running kernel exposes its BTF ({@code CONFIG_DEBUG_INFO_BTF}). */
    public static final Path VMLINUX = Path.of("/sys/kernel/btf/vmlinux");
    /** Where the running kernel exposes vmlinux's BTF and each loaded module's ({@code CONFIG_DEBUG_INFO_BTF_MODULES}). */
    public static final Path DIRECTORY = VMLINUX.getParent();
    /** The name the kernel gives vmlinux's BTF object, and {@link #module()} gives it. */
    public static final String VMLINUX_NAME = "vmlinux";

    /** The largest kernel BTF file read: vmlinux's is 5 to 10 MB, so this leaves room without letting a file fill the heap. */
    public static final long MAX_FILE_SIZE = 128L * 1024 * 1024;

    private static final Object LOCK = new Object();
    private static volatile KernelBtf running;
    private static final Map<String, KernelBtf> MODULES = new java.util.concurrent.ConcurrentHashMap<>();

    private final Btf btf;
    private final Path source;
    private final String module;
    private final int firstOwnId;
    private final EssentialNameIndex byEssentialName;

    private KernelBtf(Btf btf, Path source) {
        this(btf, source, VMLINUX_NAME, 1);
    }

    private KernelBtf(Btf btf, Path source, String module, int firstOwnId) {
        this.btf = btf;
        this.source = source;
        this.module = module;
        this.firstOwnId = firstOwnId;
        // Lazily read types are indexed from their headers alone, without parsing them.
        KernelTypeHeaders lazy = btf.types() instanceof KernelTypeHeaders l ? l : null;
        int[] hashes = new int[btf.size()];
        boolean[] indexed = new boolean[btf.size()];
        if (lazy != null) {
            lazy.essentialNameHashes(firstOwnId, hashes, indexed);
        } else {
            for (int id = firstOwnId; id < btf.size(); id++) {
                BtfType type = btf.types().get(id);
                if (EssentialNameIndex.mayBeRoot(type.kind()) && !type.name().isEmpty()) {
                    indexed[id] = true;
                    hashes[id] = EssentialNameIndex.hash(essentialName(type.name()));
                }
            }
        }
        this.byEssentialName = EssentialNameIndex.of(hashes, indexed, firstOwnId);
    }

    /** The running kernel's BTF as {@link #running()} reads it, from {@code bytes} (for tests of split BTF on it). */
    static KernelBtf runningFrom(byte[] bytes, Path source) {
        return new KernelBtf(BtfReader.readVerifiedByKernel(bytes), source);
    }

    /** Indexes {@code btf}, which was read from {@code source} (for messages). */
    public static KernelBtf of(Btf btf, Path source) {
        return new KernelBtf(Objects.requireNonNull(btf, "btf"), Objects.requireNonNull(source, "source"));
    }

    /**
     * The running kernel's BTF, read on the first call and kept for the process: from the kernel's
     * vmlinux BTF object where this process may open it by id (CAP_SYS_ADMIN), else from
     * {@link #VMLINUX}; the same bytes either way. A failed read is not kept: the next call tries again.
     *
     * @throws IllegalStateException if the kernel exposes no BTF or it cannot be read
     */
    public static KernelBtf running() {
        KernelBtf known = running;
        if (known == null) {
            synchronized (LOCK) {
                known = running;
                if (known == null) {
                    // The kernel's BTF object holds the file's bytes and hands them over in one copy.
                    java.util.Optional<byte[]> held = dev.bpfglobals.runtime.internal.BtfObjects.vmlinux();
                    known = held.isPresent() ? new KernelBtf(BtfReader.readVerifiedByKernel(held.get()), VMLINUX) : read(VMLINUX);
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
            bytes = BoundedFiles.read(file, "a kernel's BTF", MAX_FILE_SIZE);
        } catch (BoundedFiles.RefusedFileException e) {
            throw new IllegalStateException("cannot read kernel BTF: " + e.getMessage(), new UncheckedIOException(e));
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

    /**
     * The BTF of loaded module {@code name} ({@code /sys/kernel/btf/NAME}), split BTF on top of
     * {@link #running()}'s, read the first time it is asked for and kept for the process (a module
     * keeps its types while loaded; one unloaded and loaded again is the same build).
     *
     * @throws IllegalStateException if the module's BTF cannot be read or is not split BTF on vmlinux's
     */
    public static KernelBtf module(String name) {
        KernelBtf known = MODULES.get(name);
        if (known != null) {
            return known;
        }
        KernelBtf base = running();
        Path file = DIRECTORY.resolve(name);
        byte[] bytes;
        try {
            bytes = BoundedFiles.read(file, "a module's BTF", MAX_FILE_SIZE);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read module BTF from " + file + " (" + e + "); was module '" + name
                    + "' unloaded?", new UncheckedIOException(e));
        }
        KernelBtf read = module(name, bytes, base, file);
        KernelBtf raced = MODULES.putIfAbsent(name, read);
        return raced != null ? raced : read;
    }

    /**
     * Module {@code name}'s BTF from {@code bytes}, split BTF on top of {@code base} (the running
     * kernel's vmlinux BTF, as {@link #running()} reads it), read from {@code source} (for messages).
     *
     * @throws IllegalStateException naming the file, if the bytes are not split BTF on {@code base}
     */
    static KernelBtf module(String name, byte[] bytes, KernelBtf base, Path source) {
        try {
            return new KernelBtf(BtfReader.readSplitVerifiedByKernel(bytes, base.btf()), source, name, base.btf().size());
        } catch (BtfFormatException e) {
            throw new IllegalStateException("module BTF " + source + " is not readable split BTF on " + base.source() + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * The names of the modules whose BTF the running kernel exposes (every entry of
     * {@link #DIRECTORY} but vmlinux), in name order; listed afresh on each call, so a module loaded
     * since is seen. Empty on a kernel without {@code CONFIG_DEBUG_INFO_BTF_MODULES} or without
     * loaded modules.
     */
    public static List<String> moduleNames() {
        if (!Files.isDirectory(DIRECTORY)) {
            return List.of();
        }
        try (java.util.stream.Stream<Path> entries = Files.list(DIRECTORY)) {
            return entries.map(p -> p.getFileName().toString()).filter(n -> !n.equals(VMLINUX_NAME)).sorted().toList();
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + DIRECTORY + " (" + e + ")", new UncheckedIOException(e));
        }
    }

    /**
     * The BTF of every module {@link #moduleNames()} lists, as libbpf's {@code load_module_btfs}
     * gathers them; a module unloaded between listing and reading is left out.
     */
    public static List<KernelBtf> modules() {
        List<KernelBtf> modules = new ArrayList<>();
        for (String name : moduleNames()) {
            try {
                modules.add(module(name));
            } catch (IllegalStateException e) {
                if (Files.exists(DIRECTORY.resolve(name))) {
                    throw e;
                }
            }
        }
        return modules;
    }

    /** {@code vmlinux} for vmlinux's BTF (or one read from a file), else the module's name. */
    public String module() {
        return module;
    }

    /** Whether this is a module's split BTF, whose own types start after vmlinux's. */
    public boolean isModule() {
        return firstOwnId > 1;
    }

    /** E.g. {@code vmlinux type 42} or {@code overlay type 100650}, for messages. */
    public String describe(int id) {
        return module + " type " + id;
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
        if (essentialName.isEmpty()) {
            return new int[0];
        }
        KernelTypeHeaders lazy = btf.types() instanceof KernelTypeHeaders l ? l : null;
        return byEssentialName.find(essentialName,
                id -> essentialName(lazy != null ? lazy.name(id) : btf.types().get(id).name()).equals(essentialName));
    }

    /**
     * The id of the first type of {@code kind} named exactly {@code name} (a VAR or FUNC as
     * libbpf's {@code btf__find_by_name_kind} finds it for a {@code __ksym} extern), or empty; in a
     * module's BTF, among the module's own types only. The running kernel's types are compared by
     * their headers alone, without parsing them.
     */
    public java.util.OptionalInt find(BtfKind kind, String name) {
        KernelTypeHeaders lazy = btf.types() instanceof KernelTypeHeaders l ? l : null;
        if (lazy == null) {
            return btf.find(kind, name);
        }
        for (int id = firstOwnId; id < btf.size(); id++) {
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
        return "KernelBtf[" + source + ", " + (btf.size() - firstOwnId) + " types]";
    }
}
