package dev.bpfglobals.runtime.internal.loader;

import dev.bpfglobals.contract.MapNames;
import dev.bpfglobals.contract.MapType;
import dev.bpfglobals.runtime.attach.ProgramType;
import dev.bpfglobals.runtime.internal.BpfMaps;
import dev.bpfglobals.runtime.internal.ProgramLoad;
import dev.bpfglobals.runtime.internal.kernelenv.KernelConfig;
import dev.bpfglobals.runtime.internal.light.LightMap;
import dev.bpfglobals.runtime.internal.light.LightObject;
import dev.bpfglobals.runtime.internal.light.LightPlan;
import dev.bpfglobals.runtime.internal.light.LightProgram;
import dev.bpfglobals.runtime.internal.light.LightStepException;
import dev.bpfglobals.runtime.internal.light.LoaderStep;
import dev.bpfglobals.runtime.kernel.BpfFd;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Plans a light load of an object instead of loading it: the maps {@link ObjectLoader} would make,
 * in its order and with its create attributes, the global sections' images as initial values, the
 * sanitized BTF, and each program linked and relocated with maps named by index
 * ({@code BPF_PSEUDO_MAP_IDX[_VALUE]}). What the light loader cannot do yet is refused, one line
 * naming the feature. {@link #adopt} then turns what the light loader made into a {@link LoadResult}.
 */
public final class LightPlanner {

    /**
     * A plan with what adopting its result needs.
     *
     * @param plan      the light loader's plan
     * @param mapNames  the loader's name of each plan map (section or {@code .maps} name), by index
     * @param object    the object planned
     * @param btfRefusal why the plan carries no BTF, null when it does
     */
    public record Planned(LightPlan plan, List<String> mapNames, ObjectImage object, String btfRefusal) {
    }

    private final ObjectImage object;
    private final LoaderSettings settings;
    private final List<LightMap> maps = new ArrayList<>();
    private final List<String> mapNames = new ArrayList<>();
    private final Map<String, Integer> indices = new HashMap<>();

    private LightPlanner(ObjectImage object, LoaderSettings settings) {
        this.object = object;
        this.settings = settings;
    }

    /**
     * Plans {@code object}'s light load.
     *
     * @param object   the object, as the readers found it
     * @param settings what the load goes by (native .percpu access, BTF support, CPU count)
     * @param allCpus  whether the kernel takes {@code BPF_F_ALL_CPUS}
     * @return the plan
     * @throws UnsupportedOperationException naming a feature the light loader does not support yet
     */
    public static Planned plan(ObjectImage object, LoaderSettings settings, boolean allCpus) {
        return new LightPlanner(object, settings).plan(allCpus);
    }

    private Planned plan(boolean allCpus) {
        if (object.byteOrder() != ByteOrder.nativeOrder()) {
            throw refuse("objects of another byte order", object.byteOrder().toString());
        }
        Optional<ExternImage> typeless = object.externs().stream()
                .filter(e -> e.kind() != ExternImage.Kind.KCONFIG && e.kind() != ExternImage.Kind.KFUNC
                        && e.kind() != ExternImage.Kind.TYPED_KSYM).findFirst();
        if (typeless.isPresent()) {
            throw refuse("typeless __ksym externs (gen_loader's bpf_kallsyms_lookup_name)", typeless.get().name());
        }
        if (!object.structOps().isEmpty()) {
            throw refuse("struct_ops maps", "map '" + object.structOps().get(0).name() + "'");
        }
        try (ObjectBtf btf = ObjectBtf.load(object, settings.btfSupport())) {
            ObjectMaps shapes = new ObjectMaps(object, btf, settings.possibleCpus());
            for (SectionImage section : object.globals()) {
                if (section.isPerCpu() && section.size() > 0) {
                    percpu(section, btf);
                } else if (!section.isPerCpu()) {
                    globalData(section, btf);
                }
            }
            KconfigMap.of(object).ifPresent(kconfig -> kconfig(kconfig, btf));
            for (MapDefinition map : object.maps()) {
                declared(map, btf, shapes);
            }
            List<LightProgram> programs = programs(btf);
            return new Planned(new LightPlan(maps, programs, btf.bytes(), allCpus, settings.possibleCpus().getAsInt()),
                    List.copyOf(mapNames), object, btf.refusal());
        }
    }

    private void add(String name, LightMap map) {
        indices.put(name, maps.size());
        mapNames.add(name);
        maps.add(map);
    }

    private void percpu(SectionImage section, ObjectBtf btf) {
        int datasec = btf.datasecId(object, section.name());
        int key = btf.keyTypeId(object);
        boolean typed = datasec != 0 && key != 0;
        var layout = section.layout();
        add(section.name(), new LightMap(MapNames.ofSection(layout.name()), MapType.PERCPU_ARRAY.kernelValue(), layout.keySize(),
                layout.valueSize(), layout.maxEntries(), 0, typed ? key : 0, typed ? datasec : 0,
                Arrays.copyOf(section.image(), layout.valueSize()), false));
    }

    private void globalData(SectionImage section, ObjectBtf btf) {
        int size = Math.max(1, section.size());
        int datasec = section.size() == 0 ? 0 : btf.datasecId(object, section.name());
        int flags = (section.isMmapable() ? BpfMaps.F_MMAPABLE : 0) | (section.isReadOnly() ? BpfMaps.F_RDONLY_PROG : 0);
        add(section.name(), new LightMap(section.kernelMapName(), MapType.ARRAY.kernelValue(), 4, size, 1, flags, 0, datasec,
                Arrays.copyOf(section.image(), size), section.isReadOnly()));
    }

    /**
     * libbpf's {@code .kconfig} map, as the normal load makes it: the running kernel's values, read
     * now (the loader is built on the kernel it loads into), read-only to programs and frozen.
     */
    private void kconfig(KconfigMap kconfig, ObjectBtf btf) {
        int datasec = btf.datasecId(object, KconfigMap.SECTION);
        add(KconfigMap.SECTION, new LightMap(MapNames.ofSection(KconfigMap.SECTION), MapType.ARRAY.kernelValue(), 4, kconfig.size(),
                1, BpfMaps.F_MMAPABLE | BpfMaps.F_RDONLY_PROG, 0, datasec,
                Arrays.copyOf(kconfig.image(KernelConfig::read), kconfig.size()), true));
    }

    private void declared(MapDefinition map, ObjectBtf btf, ObjectMaps shapes) {
        Optional<SectionImage> standsFor = compatSection(object, map);
        if (standsFor.isPresent()) {
            ObjectLoader.requireCompatMapMatchesSection(map, standsFor.get());
            indices.put(map.name(), indices.get(standsFor.get().name()));
            return;
        }
        if (map.inner() != null || !map.slots().isEmpty()) {
            throw refuse("maps of maps and initial .values slots", "map '" + map.name() + "'");
        }
        if (map.pinnedByName()) {
            throw refuse("maps pinned by name", "map '" + map.name() + "'");
        }
        if (map.type() == dev.bpfglobals.contract.MapType.ARENA.kernelValue()) {
            throw refuse("ARENA maps (mapped into this process before their programs load)", "map '" + map.name() + "'");
        }
        boolean typed = map.keyTypeId() != 0 && map.valueTypeId() != 0 && btf.fd() != null;
        add(map.name(), new LightMap(map.name(), map.type(), map.keySize(), map.valueSize(), shapes.maxEntries(map), map.flags(),
                typed ? map.keyTypeId() : 0, typed ? map.valueTypeId() : 0, null, false));
    }

    private List<LightProgram> programs(ObjectBtf btf) {
        ProgramLinker linker = new ProgramLinker(object);
        Relocator relocator = new Relocator(object, null, settings, null, indices);
        List<LightProgram> programs = new ArrayList<>();
        for (ProgramImage program : object.programs()) {
            if (!object.autoload(program)) {
                continue;
            }
            if (!settings.supported().contains(program.type())) {
                throw new UnsupportedOperationException("program '" + program.name() + "' in section '" + program.section()
                        + "': this program type is not supported yet");
            }
            LinkedProgram linked = linker.link(program);
            int[] funcInfo = btf.funcInfo(linked);
            boolean callback = linked.functions().stream().flatMap(f -> f.relocations().stream())
                    .anyMatch(r -> r.kind() == Relocation.Kind.FUNCTION_ADDRESS);
            if (callback && funcInfo.length == 0) {
                throw refuse("callbacks without BTF func info", "program '" + program.name() + "': " + withoutBtf(btf));
            }
            if (!linked.coreRelocations().isEmpty() && settings.kernelBtf() != null) {
                throw refuse("CO-RE against a given kernel BTF file (the kernel applies CO-RE against its own)",
                        "program '" + program.name() + "', kernel BTF " + settings.kernelBtf());
            }
            if (program.type() == ProgramType.STRUCT_OPS) {
                throw refuse("struct_ops programs", "program '" + program.name() + "'");
            }
            if (!linked.coreRelocations().isEmpty() && btf.fd() == null) {
                throw refuse("CO-RE relocations without the object's BTF in the kernel", "program '" + program.name() + "': "
                        + withoutBtf(btf));
            }
            LightAttach attach = LightAttach.of(program);
            programs.add(new LightProgram(program.name(), program.type().kernelValue(), attach.expectedAttachType(),
                    attach.sleepable() ? ProgramLoad.SLEEPABLE : 0, object.license(), relocator.relocate(linked), funcInfo,
                    btf.lineInfo(linked), btf.coreRelos(linked), attach.target(), relocator.lightSymbols()));
        }
        return programs;
    }

    /** The non-empty per-CPU section a {@code .maps} map stands for in compat mode, by its name. */
    private static Optional<SectionImage> compatSection(ObjectImage object, MapDefinition map) {
        return object.globals().stream()
                .filter(s -> s.isPerCpu() && s.size() > 0 && MapNames.percpuCompatOf(s.name()).equals(map.name())).findFirst();
    }

    private static String withoutBtf(ObjectBtf btf) {
        return btf.refusal() != null ? btf.refusal() : "the kernel has no BTF FUNC kind";
    }

    private static UnsupportedOperationException refuse(String feature, String where) {
        return new UnsupportedOperationException("the light loader does not support " + feature + " yet (" + where
                + "); load the object with LoadedObject.load");
    }

    /**
     * A refused program step explained as the normal load explains that program's refusal (a
     * tracing or LSM program refused with {@code EPERM} before verification names lockdown or the
     * LSM); any other failure as it was.
     *
     * @param planned the plan the loader was built from
     * @param failure the loader's failing step
     * @return the exception to throw
     */
    public static RuntimeException explain(Planned planned, LightStepException failure) {
        LoaderStep step = failure.step();
        if (step.kind() != LoaderStep.Kind.PROG_LOAD) {
            return failure;
        }
        return planned.object().programs().stream().filter(p -> p.name().equals(step.subject())).findFirst()
                .filter(p -> p.type() == ProgramType.TRACING || p.type() == ProgramType.LSM)
                .map(p -> LoadAttach.explain(p, failure)).orElse(failure);
    }

    /**
     * What the light loader made, as a normal load's result: the maps by the loader's names (compat
     * names standing for their per-CPU section), the programs by name. The descriptors are
     * duplicated; {@code made} still closes its own.
     *
     * @param planned the plan the loader was built from
     * @param made    what the loader made
     * @return the load result, owning its descriptors; the per-CPU maps already filled
     */
    public static LoadResult adopt(Planned planned, LightObject made) {
        LoadResult result = new LoadResult();
        try {
            result.btf(ObjectBtf.none(planned.btfRefusal()));
            List<BpfFd> fds = made.mapsInOrder();
            Map<String, SectionImage> sections = new HashMap<>();
            planned.object().globals().forEach(s -> sections.put(s.name(), s));
            for (int i = 0; i < fds.size(); i++) {
                String name = planned.mapNames().get(i);
                SectionImage section = sections.get(name);
                BpfFd fd = fds.get(i).dup();
                if (name.equals(KconfigMap.SECTION)) {
                    result.globalMap(new LoadResult.GlobalMap(name, KconfigMap.of(planned.object()).orElseThrow().size(), true, null), fd);
                } else if (section != null && section.isPerCpu()) {
                    result.percpuMap(new LoadResult.PercpuMap(name, section.layout(), section.image()), fd);
                } else if (section != null) {
                    result.globalMap(new LoadResult.GlobalMap(name, section.size(), section.isMmapable(), section.layout()), fd);
                } else {
                    result.maps().map(name, fd);
                }
            }
            for (MapDefinition map : planned.object().maps()) {
                compatSection(planned.object(), map).ifPresent(s -> result.maps().compatAlias(map.name(), s.name()));
            }
            for (ProgramImage program : planned.object().programs()) {
                if (made.programs().containsKey(program.name())) {
                    result.programs().loaded(program, made.program(program.name()).dup());
                } else {
                    result.programs().skipped(program);
                }
            }
            return result;
        } catch (RuntimeException e) {
            result.close();
            throw e;
        }
    }
}
