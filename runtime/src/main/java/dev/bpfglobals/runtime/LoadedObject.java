package dev.bpfglobals.runtime;

import dev.bpfglobals.contract.MapNames;
import dev.bpfglobals.contract.SectionContract;
import dev.bpfglobals.runtime.attach.Link;
import dev.bpfglobals.runtime.attach.ProgramType;
import dev.bpfglobals.runtime.btf.BtfSupport;
import dev.bpfglobals.runtime.internal.Bpf;
import dev.bpfglobals.runtime.internal.loader.LoadResult;
import dev.bpfglobals.runtime.internal.loader.LoaderSettings;
import dev.bpfglobals.runtime.internal.loader.ObjectFormatException;
import dev.bpfglobals.runtime.internal.loader.ObjectLoader;
import dev.bpfglobals.runtime.internal.loader.StructOpsMaps;
import dev.bpfglobals.runtime.kernel.BpfFd;
import java.lang.foreign.MemorySegment;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A BPF object loaded into the kernel in pure Java: its maps created (each per-CPU section,
 * {@code .percpu} and every custom {@code .percpu.<name>}, as one PERCPU_ARRAY populated on every
 * possible CPU; other global sections as ARRAY maps; {@code .maps} as declared), its references
 * relocated, its programs loaded. Owns every kernel object it made.
 *
 * <p><b>Compat maps.</b> On a kernel without native per-CPU globals a program reaches a per-CPU
 * section through a map it declares in {@code .maps} with the section's exact shape
 * (PERCPU_ARRAY, key 4, value = section size, 1 entry) and looks up key 0. Such a map is not made:
 * it stands for the section's own map, so one map serves the program and Java in both modes. Its
 * name is {@link #percpuCompatMapName}: {@code __percpu_compat} for {@code .percpu} (what the
 * generated header declares) and {@code __percpu_compat_<name>} for {@code .percpu.<name>}.
 *
 * <p><b>Who closes what.</b> This object owns every map and program it made and closes them in
 * {@link #close()}. What it hands out ({@link #map}, {@link #percpuMap}, {@link #program}) is a new
 * owner with a descriptor of its own (a {@code dup}), for the caller to close; closing one never
 * closes this object's, and closing this object leaves them open.
 */
public final class LoadedObject implements AutoCloseable {

    /** The program types this loader loads (immutable). */
    public static final java.util.Set<ProgramType> SUPPORTED = java.util.Collections.unmodifiableSet(java.util.EnumSet.of(
            ProgramType.XDP, ProgramType.SOCKET_FILTER, ProgramType.SCHED_CLS, ProgramType.TRACEPOINT, ProgramType.RAW_TRACEPOINT, ProgramType.KPROBE,
            ProgramType.TRACING, ProgramType.CGROUP_SKB, ProgramType.CGROUP_SOCK, ProgramType.PERF_EVENT, ProgramType.LSM, ProgramType.SK_LOOKUP,
            ProgramType.NETFILTER, ProgramType.CGROUP_SOCK_ADDR, ProgramType.CGROUP_SYSCTL, ProgramType.CGROUP_SOCKOPT, ProgramType.CGROUP_DEVICE,
            ProgramType.SOCK_OPS, ProgramType.SK_MSG, ProgramType.SK_SKB, ProgramType.SYSCALL, ProgramType.STRUCT_OPS));

    /** What the loader made: every map, program and the BTF, by name; closing it closes them. */
    private LoadResult made;
    /** The per-CPU sections' maps, filled on every CPU, by section name; each owns a {@code dup} of its descriptor. */
    private final Map<String, PerCpuArrayMap> percpu = new LinkedHashMap<>();
    /** The mmapped views of global sections; closing it unmaps them. */
    private final GlobalViews views = new GlobalViews();

    LoadedObject() {
    }

    /** Takes over what the loader made: fills each per-CPU section on every CPU (unless {@code features} is null: a light load filled them), notes each global section's view. */
    void wrap(LoadResult result, BpfFeatures features) {
        made = result;
        views.sections(result.globalMaps());
        for (LoadResult.PercpuMap section : result.percpuMaps()) {
            BpfMap map = BpfMap.adopt(result.maps().fd(section.name()).dup());
            percpu.put(section.name(), features == null ? PerCpuArrayMap.filled(map, section.layout(), section.image())
                    : PerCpuArrayMap.populate(map, section.layout(), MemorySegment.ofArray(section.image()), features));
        }
    }

    /**
     * The live bytes of a non-per-CPU global section ({@code .data}, {@code .bss}, {@code .rodata},
     * {@code .data.<name>}, ...), mmapped: reads and writes are plain memory accesses the program sees
     * at once, with no syscall. {@code .rodata} and {@code .rodata.<name>} are frozen and mapped
     * read-only, so writes to their view throw (the JDK's read-only segment error; use
     * {@link #writableGlobalData} to be refused up front by name). Per-CPU maps cannot be mmapped (the
     * kernel refuses BPF_F_MMAPABLE on them): use {@link #percpuMap(String)} instead. Nor can a section
     * holding only {@code static} or hidden variables, or any of an object without BTF: libbpf makes
     * those maps without BPF_F_MMAPABLE ({@link GlobalSection#isMmapable()}), and so does this loader;
     * read them through {@link #map(String)}.
     *
     * @param section the section's ELF name, e.g. {@code .data}
     * @return the section's live bytes, valid until this object closes
     */
    public synchronized MemorySegment globalData(String section) {
        if (percpu.containsKey(section)) {
            throw new IllegalArgumentException("section '" + section + "' is per-CPU, and the kernel cannot mmap a PERCPU_ARRAY;"
                    + " read and write it through percpuMap(\"" + section + "\")");
        }
        return views.view(section, made == null ? null : made.maps().ordinary(section));
    }

    /**
     * The same view as {@link #globalData}, for code that means to write through it: a read-only
     * section is refused here, naming it, rather than on the first write.
     *
     * @param section the section's ELF name, e.g. {@code .data}
     * @return the section's live, writable bytes, valid until this object closes
     * @throws IllegalArgumentException for {@code .rodata} and {@code .rodata.<name>}, which are
     *                                  frozen after load, saying to set their values before load
     */
    public MemorySegment writableGlobalData(String section) {
        if (GlobalSection.isReadOnly(section) && views.has(section)) {
            throw new IllegalArgumentException("section '" + section + "' is read-only after load (programs see it as "
                    + "constants, and the kernel froze it): set its values before load with ObjectSpec.withGlobalImage(\""
                    + section + "\", image), or move the variable to .data");
        }
        return globalData(section);
    }

    /**
     * A typed view of non-per-CPU global section {@code section} ({@code .data}, {@code .bss},
     * {@code .rodata}, {@code .data.<name>}, ...) for {@code codec}'s record: per-variable reads and
     * writes in place on the {@link #globalData mmapped} bytes, with no zero-fill. The generated
     * {@code <Record>Globals.bindData} (and {@code bindBss}, {@code bindRodata}) calls this. Read-only for {@code .rodata} and {@code .rodata.<name>}.
     *
     * @param <R> the record the section decodes to
     * @param section the section's ELF name, e.g. {@code .data}
     * @param codec the record's codec (the generated {@code <Record>Globals} holds one)
     * @return the view, valid until this object closes
     * @throws dev.bpfglobals.runtime.ContractMismatchException if the section's variables are not
     *                                                          the record's, naming every difference
     * @throws IllegalArgumentException                         if the object has no such mmappable section
     */
    public <R extends Record> GlobalDataView<R> bindGlobalData(String section, dev.bpfglobals.runtime.SectionCodec<R> codec) {
        MemorySegment memory = globalData(section);
        return GlobalDataView.bind(section, memory, views.layoutOf(section), codec);
    }

    /**
     * Loads {@code object} with this kernel's probed features.
     *
     * @param object the parsed object to load
     * @return the loaded object, owning every map and program it made
     */
    public static LoadedObject load(ObjectSpec object) {
        return load(object, BpfFeatures.probe());
    }

    /**
     * Loads {@code object} with {@code features} and this kernel's probed BTF support.
     *
     * @param object the parsed object to load
     * @param features what the kernel can do (per-CPU globals natively or through compat maps, and so on)
     * @return the loaded object, owning every map and program it made
     */
    public static LoadedObject load(ObjectSpec object, BpfFeatures features) {
        return load(object, features, BtfSupport.probe());
    }

    /**
     * Loads {@code object}: its BTF (sanitised to what {@code btf} says the kernel knows), its maps
     * and its programs with the subprograms they call. Programs whose autoload is off
     * ({@code SEC("?xdp")}, or {@link ObjectSpec#withAutoload} false) are left out, as libbpf leaves
     * them. CO-RE relocations are resolved against the running kernel's BTF, read once per process
     * (one the kernel cannot satisfy poisons its instruction, as libbpf does, so the load fails only when the program can reach it). On any failure, everything made
     * so far is closed again.
     *
     * @param object the parsed object to load
     * @param features what the kernel can do (per-CPU globals natively or through compat maps, and so on)
     * @param btf which BTF kinds the kernel knows, to sanitise the object's BTF to
     * @return the loaded object, owning every map and program it made
     * @throws IllegalStateException naming the program and variable when a program needs a kernel feature this kernel lacks,
     *                               and naming program and relocation when it reaches a CO-RE access the kernel's BTF lacks
     * @throws UnsupportedOperationException naming what the object needs that this loader does not do yet
     * @throws dev.bpfglobals.runtime.kernel.BpfException with the verifier log when the kernel refuses a program
     */
    public static LoadedObject load(ObjectSpec object, BpfFeatures features, BtfSupport btf) {
        return load(object, features, btf, null, LoadOptions.DEFAULT_PIN_ROOT);
    }

    /**
     * Loads {@code object} as {@code options} say: with their features, kernel BTF and pin root
     * (maps declared {@code __uint(pinning, LIBBPF_PIN_BY_NAME)} are reused from, or pinned at, {@code PIN_ROOT/NAME}).
     *
     * @param object the parsed object to load
     * @param options how to load it ({@link LoadOptions#defaults()} and its withers)
     * @return the loaded object, owning every map and program it made
     * @throws IllegalStateException also when a map pinned by name differs from its declaration, naming the field
     */
    public static LoadedObject load(ObjectSpec object, LoadOptions options) {
        return load(object, options.features() == null ? BpfFeatures.probe() : options.features(), BtfSupport.probe(),
                options.kernelBtf(), options.pinRoot());
    }

    /**
     * Loads {@code object} with its CO-RE relocations resolved against the kernel BTF in
     * {@code kernelBtf} rather than the running kernel's ({@code /sys/kernel/btf/vmlinux}), as
     * libbpf's {@code btf_custom_path} does: for a kernel without {@code CONFIG_DEBUG_INFO_BTF}, given
     * its BTF from elsewhere (e.g. BTFHub), or to see what an object would become on another kernel.
     * The file holds raw BTF, as {@code /sys/kernel/btf/vmlinux} does. Otherwise as {@link #load(ObjectSpec, BpfFeatures)}.
     *
     * @param object the parsed object to load
     * @param features what the kernel can do (per-CPU globals natively or through compat maps, and so on)
     * @param kernelBtf a file of raw kernel BTF to resolve CO-RE relocations against
     * @return the loaded object, owning every map and program it made
     * @throws IllegalStateException also when the file cannot be read or is not BTF
     */
    public static LoadedObject load(ObjectSpec object, BpfFeatures features, java.nio.file.Path kernelBtf) {
        return load(object, features, BtfSupport.probe(), java.util.Objects.requireNonNull(kernelBtf, "kernelBtf"),
                LoadOptions.DEFAULT_PIN_ROOT);
    }

    private static LoadedObject load(ObjectSpec object, BpfFeatures features, BtfSupport btf, java.nio.file.Path kernelBtf,
            java.nio.file.Path pinRoot) {
        LoadedObject loaded = new LoadedObject();
        try {
            LoaderSettings settings = new LoaderSettings(features.nativePercpuGlobals(),
                    BpfFeatures.Feature.NATIVE_PERCPU_GLOBALS.label() + ": " + features.answer(BpfFeatures.Feature.NATIVE_PERCPU_GLOBALS),
                    btf, kernelBtf, pinRoot, SUPPORTED, () -> PossibleCpus.system().count());
            loaded.wrap(ObjectLoader.load(object.image(), settings), features);
            return loaded;
        } catch (RuntimeException e) {
            loaded.close();
            // The loader's word for a malformed object becomes the public one, with the same detail.
            throw e instanceof ObjectFormatException format ? new BpfFormatException(format.detail(), format) : e;
        }
    }

    /**
     * Why the object's BTF is not in the kernel (no {@code .BTF} section, or the kernel refused it), so maps and programs were made without it.
     *
     * @return the kernel's reason for refusing the object's BTF, or empty when it took it
     */
    public Optional<String> btfRefusal() {
        return Optional.ofNullable(made.btfRefusal());
    }

    /**
     * The map of the {@code .percpu} section, if the object has one: a new view with a descriptor of its own, for the caller
     * to close (or to hand to {@code bind}, which then closes it). This object keeps its own descriptor until it closes.
     *
     * @return the {@code .percpu} map, a new owner to close; empty if the object has no such section
     */
    public Optional<PerCpuArrayMap> percpuMap() {
        return percpuMap(SectionContract.PERCPU);
    }

    /**
     * The map of per-CPU section {@code section} ({@code .percpu} or a custom {@code .percpu.<name>}),
     * if the object has it with at least one byte (like libbpf, an empty section gets no map). Its
     * {@link PerCpuArrayMap#initialImage()} is the image it was populated from, read-only. As
     * {@link #percpuMap()}, a new owner for the caller to close.
     *
     * @param section the per-CPU section's ELF name
     * @return the section's map, a new owner to close; empty if the object made no map for it
     */
    public Optional<PerCpuArrayMap> percpuMap(String section) {
        return Optional.ofNullable(percpu.get(section)).map(PerCpuArrayMap::dup);
    }

    /**
     * The map made for {@code name} (a {@code .maps} variable, a global section such as
     * {@code .data}, a per-CPU section or its compat map): a new owner with a descriptor of its own,
     * for the caller to close.
     *
     * @param name the map's name, as {@link #mapNames()} lists it
     * @return the map, a new owner to close
     * @throws IllegalArgumentException if the object made no map of that name, listing those it made
     */
    public BpfMap map(String name) {
        PerCpuArrayMap percpuMap = percpuFor(name);
        if (percpuMap != null) {
            return percpuMap.map().dup();
        }
        BpfFd map = made.maps().ordinary(name);
        if (map == null) {
            throw new IllegalArgumentException("no map named '" + name + "' in this object; it made " + mapNames());
        }
        return BpfMap.adopt(map.dup());
    }

    /** The per-CPU map behind a section name or a compat map name, or null. */
    private PerCpuArrayMap percpuFor(String name) {
        String section = made.maps().percpuSectionFor(name);
        return section == null ? null : percpu.get(section);
    }

    /** {@return the names of the maps this object made (per-CPU and other global sections, {@code .maps} variables), which {@link #map(String)} accepts} */
    public List<String> mapNames() {
        return made.maps().names();
    }

    /**
     * The per-CPU sections that got a map, in the object's order.
     *
     * @return the section names, which {@link #percpuMap(String)} accepts
     */
    public List<String> percpuSections() {
        return made.maps().percpuSections();
    }

    /**
     * The name of the compat map that stands for per-CPU section {@code section}, as
     * {@link MapNames#percpuCompatOf} spells it.
     *
     * @param section a per-CPU section's ELF name
     * @return the compat map's name, as a C declaration in {@code .maps} would spell it
     * @throws IllegalArgumentException if {@code section} is not a per-CPU section name
     */
    public static String percpuCompatMapName(String section) {
        return MapNames.percpuCompatOf(section);
    }

    /**
     * Pins the map made for {@code name} (a {@code .maps} variable, a global section, a per-CPU
     * section or its compat map) at {@code path} on a bpffs mount, so other processes can open it.
     *
     * @param name the map's name, as {@link #mapNames()} lists it
     * @param path where to pin, on a bpffs mount; nothing may be pinned there yet
     */
    public void pinMap(String name, java.nio.file.Path path) {
        PerCpuArrayMap percpuMap = percpuFor(name);
        if (percpuMap != null) {
            percpuMap.pin(path);
            return;
        }
        if (name.equals(SectionContract.PERCPU) || name.equals(MapNames.PERCPU_COMPAT)) {
            throw new IllegalArgumentException("the object has no .percpu section");
        }
        Bpf.pin(made.maps().fd(name), path.toString()); // fd refuses a name the object did not make
    }

    /**
     * Pins the loaded program with this function name at {@code path} on a bpffs mount, to outlive this object ({@code BpfProgram.openPinned}).
     *
     * @param name the program's C function name
     * @param path where to pin, on a bpffs mount; nothing may be pinned there yet
     */
    public void pinProgram(String name, java.nio.file.Path path) {
        try (BpfProgram program = program(name)) {
            program.pin(path);
        }
    }

    /**
     * A reader of the {@code BPF_MAP_TYPE_RINGBUF} map declared as {@code name} in {@code .maps}, open on its own descriptor.
     *
     * @param name the ring buffer map's name in {@code .maps}
     * @return the reader, to close
     */
    public dev.bpfglobals.runtime.RingBufferReader ringBuffer(String name) {
        return dev.bpfglobals.runtime.RingBufferReader.of(map(name));
    }

    /**
     * A writer into the {@code BPF_MAP_TYPE_USER_RINGBUF} map declared as {@code name} in {@code .maps}, open on its own descriptor.
     *
     * @param name the user ring buffer map's name in {@code .maps}
     * @return the writer, to close
     */
    public dev.bpfglobals.runtime.UserRingBufferWriter userRingBuffer(String name) {
        return dev.bpfglobals.runtime.UserRingBufferWriter.of(map(name));
    }

    /**
     * The loaded program with this function name, as an object of its own (closed independently).
     *
     * @param name the program's C function name
     * @return a new owner of the program, to close
     */
    public BpfProgram program(String name) {
        return BpfProgram.adopt(made.programs().fd(name));
    }

    /**
     * Attaches program {@code name} where its section says, as libbpf's {@code bpf_program__attach} (kprobes,
     * tracepoints, fentry/fexit, uprobes, USDT ...: the section's row in {@link dev.bpfglobals.runtime.attach.SectionDefinitions}).
     * The link keeps the program attached after this object closes, until the link itself is closed. A struct_ops
     * map's name registers that map (docs/struct-ops.md).
     *
     * @param name the program's C function name, or a struct_ops map's name
     * @return the attachment, which detaches (or unregisters) when closed
     * @throws IllegalArgumentException for a section that names no target (a cgroup, an interface
     *                                  or a socket program), naming the {@link BpfProgram} method to use
     */
    public Link attach(String name) {
        return made.structOps(name) != null ? StructOpsMaps.attach(made, name) : made.programs().attach(name);
    }

    /**
     * {@return the object's ARENA map ({@code BPF_MAP_TYPE_ARENA}), mapped by the load: this object owns the mapping}
     * @throws IllegalArgumentException if the object made no ARENA map (one reused from a pin is not mapped)
     */
    public ArenaMap arena() {
        return ArenaMap.of(made.arena());
    }

    /** Closes every program and map this object made; idempotent. */
    @Override
    public synchronized void close() {
        views.close(); // unmaps before the maps' fds go
        percpu.values().forEach(PerCpuArrayMap::close);
        percpu.clear();
        if (made != null) {
            made.close();
        }
    }
}
