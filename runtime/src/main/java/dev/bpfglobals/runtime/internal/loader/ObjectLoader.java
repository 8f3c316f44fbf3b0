package dev.bpfglobals.runtime.internal.loader;

import dev.bpfglobals.contract.LayoutComparison;
import dev.bpfglobals.contract.MapNames;
import dev.bpfglobals.contract.MapType;
import dev.bpfglobals.contract.SectionContract;
import dev.bpfglobals.runtime.attach.ProgramType;
import dev.bpfglobals.runtime.internal.Bpf;
import dev.bpfglobals.runtime.internal.ProgramLoad;
import dev.bpfglobals.runtime.internal.kernelenv.KernelConfig;
import dev.bpfglobals.runtime.internal.kernelenv.ModuleBtfObjects;
import dev.bpfglobals.runtime.kernel.BpfException;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;

/**
 * The steps of a load, in libbpf's order: BTF, global-section maps (each per-CPU section made for
 * the live API to fill on every CPU, {@code .rodata} read-only to programs and frozen), {@code .maps}
 * maps, then each program linked with its subprograms, relocated and verified. Everything made goes
 * into one {@link LoadResult} at once, so a failure part-way closes it all.
 */
public final class ObjectLoader {

    private final ObjectImage object;
    private final LoaderSettings settings;
    private final LoadResult loaded = new LoadResult();
    private final MapPinning pinning;

    private ObjectLoader(ObjectImage object, LoaderSettings settings) {
        this.object = object;
        this.settings = settings;
        this.pinning = new MapPinning(settings.pinRoot());
    }

    /**
     * Loads {@code object}: its BTF, maps and programs; on any failure, everything made so far is
     * closed again and the pins made are removed.
     *
     * @param object   the object, as the readers found it
     * @param settings what the load goes by
     * @return what the load made, owning every descriptor
     * @throws ObjectFormatException for an object the readers let through and the load finds malformed
     */
    public static LoadResult load(ObjectImage object, LoaderSettings settings) {
        ObjectLoader loader = new ObjectLoader(object, settings);
        try {
            loader.loadAll();
            return loader.loaded;
        } catch (RuntimeException e) {
            loader.loaded.close();
            loader.pinning.unpinMade();
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
        StructOpsMaps structOps = StructOpsMaps.plan(object);
        ObjectBtf btf = ObjectBtf.load(object, settings.btfSupport());
        loaded.btf(btf);
        ObjectMaps maps = new ObjectMaps(object, btf, settings.possibleCpus());
        for (SectionImage section : object.globals()) {
            if (section.isPerCpu()) {
                // libbpf skips empty sections; a PERCPU_ARRAY of 0-byte values does not exist.
                if (section.size() > 0) {
                    loaded.percpuMap(new LoadResult.PercpuMap(section.name(), section.layout(), section.initialBytes()),
                            maps.percpu(section));
                }
            } else {
                loaded.globalMap(new LoadResult.GlobalMap(section.name(), section.size(), section.isMmapable(),
                        section.layout()), maps.globalData(section));
            }
        }
        Optional<KconfigMap> kconfig = KconfigMap.of(object);
        if (kconfig.isPresent()) {
            loaded.globalMap(new LoadResult.GlobalMap(KconfigMap.SECTION, kconfig.get().size(), true, null),
                    maps.kconfig(kconfig.get(), kconfig.get().image(KernelConfig::read)));
        }
        for (MapDefinition map : object.maps()) {
            Optional<SectionImage> standsFor = compatSection(map);
            if (standsFor.isPresent()) {
                requireCompatMapMatchesSection(map, standsFor.get());
                loaded.maps().compatAlias(map.name(), standsFor.get().name());
            } else {
                loaded.maps().map(map.name(), pinning.map(map, maps.maxEntries(map),
                        () -> ArenaMapping.refusedNamed(map, () -> maps.declared(map))));
            }
        }
        // libbpf maps an arena as soon as it exists: programs that use it load only once it has a user address.
        for (MapDefinition map : object.maps()) {
            if (map.type() == MapType.ARENA.kernelValue() && !pinning.reused(map.name())) {
                loaded.arena(ArenaMapping.map(map, loaded.maps().fd(map.name()), object.arenaSection().orElse(null)));
            }
        }
        // libbpf's init_map_in_map_slots: once every map exists, each slot gets its inner map.
        List<MapDefinition> filled = object.maps().stream().filter(m -> !pinning.reused(m.name())).toList();
        for (MapDefinition map : filled.stream().filter(m -> m.type() != MapType.PROG_ARRAY.kernelValue()).toList()) {
            map.slots().forEach((slot, inner) -> loaded.maps().fillSlot(map.name(), slot, inner));
        }
        try (ModuleBtfObjects modules = new ModuleBtfObjects()) {
            loadPrograms(btf, modules, structOps);
            structOps.make(btf, modules, loaded);
        }
        // libbpf's init_prog_array_slots: once every program is loaded, each slot gets its tail program.
        for (MapDefinition map : filled.stream().filter(m -> m.type() == MapType.PROG_ARRAY.kernelValue()).toList()) {
            map.slots().forEach((slot, program) -> loaded.maps().fillProgramSlot(map.name(), slot, loaded.programs(), program));
        }
    }

    /** Links, relocates and loads each program; {@code modules} holds the module BTF objects they name while they load. */
    private void loadPrograms(ObjectBtf btf, ModuleBtfObjects modules, StructOpsMaps structOps) {
        ProgramLinker linker = new ProgramLinker(object);
        Relocator relocator = new Relocator(object, loaded.maps(), settings, modules);
        CoreRelocator core = new CoreRelocator(object, settings.kernelBtf());
        for (ProgramImage program : object.programs()) {
            if (!object.autoload(program) && !structOps.names(program)) {
                loaded.programs().skipped(program);
                continue;
            }
            if (!settings.supported().contains(program.type())) {
                throw new UnsupportedOperationException("program '" + program.name() + "' in section '" + program.section()
                        + "': program type " + program.type() + " is not supported yet (supported: " + supportedInOrder() + ")");
            }
            LinkedProgram linked = linker.link(program);
            long[] instructions = relocator.relocate(linked);
            List<CoreRelocator.Poisoned> poisoned = core.apply(linked, instructions);
            int[] funcInfo = btf.funcInfo(linked);
            if (funcInfo.length == 0) {
                requireNoCallbacks(linked, btf);
            }
            LoadAttach attach = structOps.attachOf(program, LoadAttach.of(program));
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
     * ({@link MapNames#percpuCompatOf}); empty for an ordinary map. A map named like a
     * compat map that no section answers to is refused rather than made: the program would count
     * into a map nobody reads.
     */
    private Optional<SectionImage> compatSection(MapDefinition map) {
        String name = map.name();
        if (!name.equals(MapNames.PERCPU_COMPAT) && !name.startsWith(MapNames.PERCPU_COMPAT + "_")) {
            return Optional.empty();
        }
        List<SectionImage> matches = object.globals().stream()
                .filter(s -> s.isPerCpu() && MapNames.percpuCompatOf(s.name()).equals(name)).toList();
        if (matches.isEmpty()) {
            String section = name.equals(MapNames.PERCPU_COMPAT) ? SectionContract.PERCPU
                    : SectionContract.PERCPU + "." + name.substring(MapNames.PERCPU_COMPAT.length() + 1);
            throw new IllegalStateException("map '" + name + "' is named as the compat-mode stand-in of per-CPU section "
                    + section + ", but the object has no such section for it to stand for; its per-CPU sections: "
                    + object.globals().stream().filter(SectionImage::isPerCpu).map(SectionImage::name).toList());
        }
        if (matches.size() > 1) {
            throw new IllegalStateException("map '" + name + "' could stand for any of the per-CPU sections "
                    + matches.stream().map(SectionImage::name).toList() + ", whose names differ only in characters a C "
                    + "identifier cannot hold; rename one of the sections");
        }
        return Optional.of(matches.get(0));
    }

    /**
     * A compat map stands for a per-CPU section's map, so its declared shape must be that map's:
     * otherwise the header the program was built with and the section it carries disagree.
     */
    static void requireCompatMapMatchesSection(MapDefinition compat, SectionImage section) {
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
        for (ProgramImage function : linked.functions()) {
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

    /** The supported types in the order the kernel numbers them, so the message reads the same every time. */
    private String supportedInOrder() {
        return settings.supported().stream().sorted().toList().toString();
    }
}
