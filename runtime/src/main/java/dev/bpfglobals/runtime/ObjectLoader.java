package dev.bpfglobals.runtime;

import dev.bpfglobals.contract.LayoutComparison;
import dev.bpfglobals.contract.MapNames;
import dev.bpfglobals.contract.MapType;
import dev.bpfglobals.contract.SectionContract;
import dev.bpfglobals.runtime.attach.ProgramType;
import dev.bpfglobals.runtime.btf.BtfSupport;
import dev.bpfglobals.runtime.internal.Bpf;
import dev.bpfglobals.runtime.internal.BpfMaps;
import dev.bpfglobals.runtime.internal.ProgramLoad;
import dev.bpfglobals.runtime.internal.kernelenv.KernelConfig;
import dev.bpfglobals.runtime.internal.kernelenv.ModuleBtfObjects;
import dev.bpfglobals.runtime.kernel.BpfException;
import dev.bpfglobals.runtime.kernel.BpfFd;
import dev.bpfglobals.runtime.kernel.Errno;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;

/**
 * The steps of a load, in libbpf's order: BTF, global-section maps (each per-CPU section populated
 * on every CPU, {@code .rodata} read-only to programs and frozen), {@code .maps} maps, then each program linked with its
 * subprograms, relocated and verified. Everything made is handed to the {@link LoadedObject} at
 * once, so a failure part-way closes it all.
 */
final class ObjectLoader {

    private final ObjectSpec object;
    private final BpfFeatures features;
    private final BtfSupport btfSupport;
    private final LoadedObject loaded;
    private final java.nio.file.Path kernelBtf;
    private final MapPinning pinning;

    /**
     * @param kernelBtf the kernel BTF file CO-RE relocations are resolved against, {@code null} for the running kernel's
     * @param pinRoot where maps pinned by name live
     */
    ObjectLoader(ObjectSpec object, BpfFeatures features, BtfSupport btfSupport, LoadedObject loaded, java.nio.file.Path kernelBtf,
            java.nio.file.Path pinRoot) {
        this.object = object;
        this.features = features;
        this.btfSupport = btfSupport;
        this.loaded = loaded;
        this.kernelBtf = kernelBtf;
        this.pinning = new MapPinning(pinRoot);
    }

    void load() {
        try {
            loadAll();
        } catch (RuntimeException e) {
            pinning.unpinMade();
            throw e;
        }
    }

    private void loadAll() {
        if (object.byteOrder() != ByteOrder.nativeOrder()) {
            throw new UnsupportedOperationException("the object is " + object.byteOrder() + " (clang -target "
                    + (object.byteOrder() == ByteOrder.BIG_ENDIAN ? "bpfeb" : "bpfel") + ") but this kernel runs "
                    + ByteOrder.nativeOrder() + " BPF; its instructions and initial values would be read wrongly: "
                    + "compile with -target bpf for this machine (the object can still be opened, inspected and checked)");
        }
        ObjectBtf btf = ObjectBtf.load(object, btfSupport);
        loaded.btf(btf);
        for (GlobalSection section : object.globalSections()) {
            if (section.isPerCpu()) {
                // libbpf skips empty sections; a PERCPU_ARRAY of 0-byte values does not exist.
                if (section.size() > 0) {
                    loaded.maps().percpu(section.name(), percpuMap(section, btf));
                }
            } else {
                loaded.globalSection(section.name(), globalDataMap(section, btf), section.size(), section.isMmapable());
                loaded.globalLayout(section);
            }
        }
        Optional<KconfigMap> kconfig = KconfigMap.of(object);
        if (kconfig.isPresent()) {
            loaded.globalSection(KconfigMap.SECTION, kconfigMap(kconfig.get(), btf), kconfig.get().size(), true);
        }
        for (MapSpec map : object.maps()) {
            Optional<GlobalSection> standsFor = compatSection(map);
            if (standsFor.isPresent()) {
                requireCompatMapMatchesSection(map, standsFor.get());
                loaded.maps().compatAlias(map.name(), standsFor.get().name());
            } else {
                loaded.maps().map(map.name(), pinning.map(map, maxEntries(map), () -> declaredMap(map, btf.fd())));
            }
        }
        // libbpf's init_map_in_map_slots: once every map exists, each slot gets its inner map.
        List<MapSpec> filled = object.maps().stream().filter(m -> !pinning.reused(m.name())).toList();
        for (MapSpec map : filled.stream().filter(m -> m.type() != MapType.PROG_ARRAY.kernelValue()).toList()) {
            map.slots().forEach((slot, inner) -> loaded.maps().fillSlot(map.name(), slot, inner));
        }
        try (ModuleBtfObjects modules = new ModuleBtfObjects()) {
            loadPrograms(btf, modules);
        }
        // libbpf's init_prog_array_slots: once every program is loaded, each slot gets its tail program.
        for (MapSpec map : filled.stream().filter(m -> m.type() == MapType.PROG_ARRAY.kernelValue()).toList()) {
            map.slots().forEach((slot, program) -> loaded.maps().fillProgramSlot(map.name(), slot, loaded.programs(), program));
        }
    }

    /** Links, relocates and loads each program; {@code modules} holds the module BTF objects they name while they load. */
    private void loadPrograms(ObjectBtf btf, ModuleBtfObjects modules) {
        ProgramLinker linker = new ProgramLinker(object);
        Relocator relocator = new Relocator(object, loaded, features, modules);
        CoreRelocator core = new CoreRelocator(object, kernelBtf);
        for (ProgramSpec program : object.programs()) {
            if (!object.autoload(program.name())) {
                loaded.programs().skipped(program);
                continue;
            }
            if (!LoadedObject.SUPPORTED.contains(program.type())) {
                throw new UnsupportedOperationException("program '" + program.name() + "' in section '" + program.section()
                        + "': this program type is not supported yet (supported: " + LoadedObject.SUPPORTED + ")");
            }
            LinkedProgram linked = linker.link(program);
            long[] instructions = relocator.relocate(linked);
            List<CoreRelocator.Poisoned> poisoned = core.apply(linked, instructions);
            int[] funcInfo = btf.funcInfo(linked);
            if (funcInfo.length == 0) {
                requireNoCallbacks(linked, btf);
            }
            LoadAttach attach = LoadAttach.of(program);
            try {
                loaded.programs().loaded(program, Bpf.progLoad(new ProgramLoad(program.type().kernelValue(), instructions,
                        object.license(), program.name(), btf.fd(), funcInfo, btf.lineInfo(linked),
                        attach.expectedAttachType(), attach.attachBtfId(),
                        attach.module() == null ? null : modules.fd(attach.module()), modules.fdArray(),
                        attach.sleepable() ? ProgramLoad.SLEEPABLE : 0)));
            } catch (BpfException refusal) {
                RuntimeException explained = KernelSymbols.explainPoisonedCall(refusal, program.name(), object)
                        .orElseGet(() -> core.explain(refusal, program.name(), poisoned));
                explained = explained == refusal ? ProgramTypeProbe.explain(program, attach.expectedAttachType(), refusal) : explained;
                throw (program.type() == ProgramType.TRACING || program.type() == ProgramType.LSM) && explained == refusal
                        ? LoadAttach.explain(program, refusal) : explained;
            }
        }
    }

    /**
     * The per-CPU section a {@code .maps} map stands for in compat mode, by its name
     * ({@link LoadedObject#percpuCompatMapName}); empty for an ordinary map. A map named like a
     * compat map that no section answers to is refused rather than made: the program would count
     * into a map nobody reads.
     */
    private Optional<GlobalSection> compatSection(MapSpec map) {
        String name = map.name();
        if (!name.equals(MapNames.PERCPU_COMPAT) && !name.startsWith(MapNames.PERCPU_COMPAT + "_")) {
            return Optional.empty();
        }
        List<GlobalSection> matches = object.globalSections().stream()
                .filter(s -> s.isPerCpu() && LoadedObject.percpuCompatMapName(s.name()).equals(name)).toList();
        if (matches.isEmpty()) {
            String section = name.equals(MapNames.PERCPU_COMPAT) ? SectionContract.PERCPU
                    : SectionContract.PERCPU + "." + name.substring(MapNames.PERCPU_COMPAT.length() + 1);
            throw new IllegalStateException("map '" + name + "' is named as the compat-mode stand-in of per-CPU section "
                    + section + ", but the object has no such section for it to stand for; its per-CPU sections: "
                    + object.globalSections().stream().filter(GlobalSection::isPerCpu).map(GlobalSection::name).toList());
        }
        if (matches.size() > 1) {
            throw new IllegalStateException("map '" + name + "' could stand for any of the per-CPU sections "
                    + matches.stream().map(GlobalSection::name).toList() + ", whose names differ only in characters a C "
                    + "identifier cannot hold; rename one of the sections");
        }
        return Optional.of(matches.get(0));
    }

    /**
     * A compat map stands for a per-CPU section's map, so its declared shape must be that map's:
     * otherwise the header the program was built with and the section it carries disagree.
     */
    private static void requireCompatMapMatchesSection(MapSpec compat, GlobalSection section) {
        int sectionSize = section.size();
        if (!LayoutComparison.compareShape(section.layout(), compat.type(), compat.keySize(), compat.valueSize(),
                compat.maxEntries()).isEmpty()) {
            throw new IllegalStateException("map '" + compat.name() + "' is declared with type " + compat.type() + ", key size "
                    + compat.keySize() + ", value size " + compat.valueSize() + ", max entries " + compat.maxEntries()
                    + ", but it stands for the " + section.name() + " section, which needs PERCPU_ARRAY (6), 4, " + sectionSize
                    + " and 1: the program was built with a header generated from another version of the record; regenerate it");
        }
    }

    /** The verifier checks a callback's signature against its BTF, so without func info it refuses the program. */
    private static void requireNoCallbacks(LinkedProgram linked, ObjectBtf btf) {
        for (ProgramSpec function : linked.functions()) {
            for (Relocation reference : function.relocations()) {
                if (reference.kind() == Relocation.Kind.FUNCTION_ADDRESS) {
                    throw new IllegalStateException("program '" + linked.spec().name() + "' passes function '"
                            + reference.symbol() + "' by address (a callback, e.g. for bpf_loop), which the kernel verifies "
                            + "only with BTF func info, and this load has none ("
                            + (btf.refusal() == null ? "the kernel has no BTF FUNC kind" : btf.refusal()) + "); compile with -g on a kernel that loads BTF");
                }
            }
        }
    }

    /** A map declared in {@code .maps}, with its key and value types when both are given as types. */
    private static BpfMap declaredMap(MapSpec map, BpfFd btfFd) {
        boolean typed = map.keyTypeId() != 0 && map.valueTypeId() != 0;
        if (map.inner() == null) {
            return BpfMap.adopt(createMap(map.type(), map.keySize(), map.valueSize(), maxEntries(map), map.flags(), map.name(),
                    typed ? btfFd : null, map.keyTypeId(), map.valueTypeId(), null));
        }
        // As libbpf does, the template inner map lives only until the outer map is made: the kernel
        // copies its shape, and the maps later stored in the slots need only match it.
        try (BpfMap template = declaredMap(map.inner(), btfFd)) {
            // The kernel types a map of maps' values itself (an fd in, an id out): no BTF value type.
            return BpfMap.adopt(createMap(map.type(), map.keySize(), map.valueSize(), maxEntries(map), map.flags(), map.name(),
                    null, 0, 0, template.fd()));
        }
    }

    /**
     * The PERCPU_ARRAY of a per-CPU section, typed by the object's DATASEC where the kernel took the
     * object's BTF (structs then decode member by member, as libbpf's maps do), else by BTF made
     * from the section's layout.
     */
    private PerCpuArrayMap percpuMap(GlobalSection section, ObjectBtf btf) {
        MemorySegment image = MemorySegment.ofArray(section.initialImage());
        int datasec = btf.datasecId(object, section.name());
        int key = btf.keyTypeId(object);
        if (datasec == 0 || key == 0) {
            return PerCpuArrayMap.create(section.layout(), image, features);
        }
        SectionContract layout = section.layout();
        BpfFd map = BpfMaps.create(MapType.PERCPU_ARRAY.kernelValue(), layout.keySize(), layout.valueSize(),
                layout.maxEntries(), 0, MapNames.ofSection(layout.name()), btf.fd(), key, datasec);
        return PerCpuArrayMap.populate(BpfMap.adopt(map), layout, image, features);
    }

    /**
     * The declared entry count, except that a PERF_EVENT_ARRAY declared without one gets one entry
     * per possible CPU, as libbpf's {@code map_set_def_max_entries} gives it (the kernel refuses 0):
     * programs index it by CPU ({@code BPF_F_CURRENT_CPU}).
     */
    static int maxEntries(MapSpec map) {
        if (map.type() == MapType.PERF_EVENT_ARRAY.kernelValue() && map.maxEntries() == 0) {
            return PossibleCpus.system().count();
        }
        return map.maxEntries();
    }

    /**
     * A one-entry ARRAY holding the section's initial image, named as libbpf names it, mmapable
     * where libbpf makes it so ({@link GlobalSection#isMmapable()}).
     * With BTF its value type is the section's DATASEC (and no key type, which the kernel allows for
     * exactly these maps), so tools show its variables by name.
     *
     * <p>{@code .rodata} and {@code .rodata.*} are made as libbpf makes them: with
     * {@code BPF_F_RDONLY_PROG} (so the verifier refuses a program's store into them) and frozen once
     * filled (so no one changes them after load). Only both together let the verifier read a
     * {@code const volatile} value as the constant it is, e.g. a loop bound.
     */
    private BpfMap globalDataMap(GlobalSection section, ObjectBtf btf) {
        int size = Math.max(1, section.size());
        int datasec = section.size() == 0 ? 0 : btf.datasecId(object, section.name());
        int flags = (section.isMmapable() ? BpfMaps.F_MMAPABLE : 0) | (section.isReadOnly() ? BpfMaps.F_RDONLY_PROG : 0);
        BpfFd fd = createMap(MapType.ARRAY.kernelValue(), 4, size, 1, flags, section.kernelMapName(),
                datasec == 0 ? null : btf.fd(), 0, datasec);
        try (Arena arena = Arena.ofConfined()) {
            byte[] image = section.initialImage();
            MemorySegment value = arena.allocate(size, 8);
            MemorySegment.copy(image, 0, value, ValueLayout.JAVA_BYTE, 0, image.length);
            // BPF_F_RDONLY_PROG binds programs only: user space fills the map before freezing it.
            BpfMaps.update(fd, arena.allocate(4), value, 0);
            if (section.isReadOnly()) {
                BpfMaps.freeze(fd);
            }
            return BpfMap.adopt(fd);
        } catch (RuntimeException e) {
            fd.close();
            throw e;
        }
    }

    /**
     * libbpf's internal {@code .kconfig} map: the values of the object's {@code __kconfig} externs,
     * made like {@code .rodata} (read-only to programs, mmapable, frozen once filled), typed by the
     * rewritten {@code .kconfig} DATASEC.
     */
    private BpfMap kconfigMap(KconfigMap kconfig, ObjectBtf btf) {
        byte[] image = kconfig.image(KernelConfig::read);
        int datasec = btf.datasecId(object, KconfigMap.SECTION);
        BpfFd fd = createMap(MapType.ARRAY.kernelValue(), 4, kconfig.size(), 1, BpfMaps.F_MMAPABLE | BpfMaps.F_RDONLY_PROG,
                dev.bpfglobals.contract.MapNames.ofSection(KconfigMap.SECTION), datasec == 0 ? null : btf.fd(), 0, datasec);
        try (Arena arena = Arena.ofConfined()) {
            BpfMaps.update(fd, arena.allocate(4), arena.allocateFrom(ValueLayout.JAVA_BYTE, image), 0);
            BpfMaps.freeze(fd);
            return BpfMap.adopt(fd);
        } catch (RuntimeException e) {
            fd.close();
            throw e;
        }
    }

    /** Like libbpf, a map whose BTF types the kernel refuses is made again without them. */
    private static BpfFd createMap(int type, int keySize, int valueSize, int maxEntries, int flags, String name, BpfFd btfFd,
            int keyTypeId, int valueTypeId) {
        return createMap(type, keySize, valueSize, maxEntries, flags, name, btfFd, keyTypeId, valueTypeId, null);
    }

    private static BpfFd createMap(int type, int keySize, int valueSize, int maxEntries, int flags, String name, BpfFd btfFd,
            int keyTypeId, int valueTypeId, BpfFd innerMap) {
        if (btfFd != null) {
            try {
                return BpfMaps.create(type, keySize, valueSize, maxEntries, flags, name, btfFd, keyTypeId, valueTypeId, innerMap);
            } catch (BpfException e) {
                if (e.errno() == Errno.EPERM) {
                    throw e;
                }
            }
        }
        return BpfMaps.create(type, keySize, valueSize, maxEntries, flags, name, null, 0, 0, innerMap);
    }
}
