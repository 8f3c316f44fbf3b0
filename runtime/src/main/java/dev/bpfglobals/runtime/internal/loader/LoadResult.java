package dev.bpfglobals.runtime.internal.loader;

import dev.bpfglobals.contract.SectionContract;
import dev.bpfglobals.runtime.kernel.BpfFd;
import java.util.ArrayList;
import java.util.List;

/**
 * What a load made, in the loader's terms: descriptors by name, and what the live API needs to
 * wrap them (each global section's size, mmapability and layout; each per-CPU section's initial
 * image). Owns every descriptor until {@link #close()}; {@code LoadedObject} wraps it.
 */
public final class LoadResult implements AutoCloseable {

    /**
     * A non-per-CPU global section's map, for the live API's mmapped view of it.
     *
     * @param name     the section's name ({@code .data}, {@code .kconfig}, ...)
     * @param size     the bytes a view maps
     * @param mmapable whether the map was made {@code BPF_F_MMAPABLE}
     * @param layout   its variables, which a typed view is checked against; null for {@code .kconfig}
     */
    public record GlobalMap(String name, int size, boolean mmapable, SectionContract layout) {
    }

    /**
     * A per-CPU section's map, made and not yet filled: the live API fills every CPU's copy.
     *
     * @param name   the section's name
     * @param layout the section's layout, which gives the value size
     * @param image  the initial bytes every possible CPU starts from
     */
    public record PercpuMap(String name, SectionContract layout, byte[] image) {
    }

    private ObjectBtf btf = ObjectBtf.none("not loaded");
    private final LoadedMaps maps = new LoadedMaps();
    private final LoadedPrograms programs = new LoadedPrograms();
    private final List<GlobalMap> globalMaps = new ArrayList<>();
    private final List<PercpuMap> percpuMaps = new ArrayList<>();
    private ArenaMapping arena;
    private final java.util.Map<String, StructOpsPlan> structOps = new java.util.LinkedHashMap<>();

    void btf(ObjectBtf loaded) {
        btf = loaded;
    }

    ObjectBtf btf() {
        return btf;
    }

    void globalMap(GlobalMap global, BpfFd fd) {
        maps.map(global.name(), fd);
        globalMaps.add(global);
    }

    void percpuMap(PercpuMap percpu, BpfFd fd) {
        maps.percpu(percpu.name(), fd);
        percpuMaps.add(percpu);
    }

    void arena(ArenaMapping mapping) {
        arena = mapping;
    }

    /** {@return the object's ARENA map as this process maps it; null without one (or where a pinned one was reused)} */
    public ArenaMapping arena() {
        return arena;
    }

    void structOps(StructOpsPlan plan, BpfFd fd) {
        maps.map(plan.name(), fd);
        structOps.put(plan.name(), plan);
    }

    /**
     * @param name a map's name
     * @return the struct_ops map of that name as it was matched to the kernel, or null for any other map
     */
    public StructOpsPlan structOps(String name) {
        return structOps.get(name);
    }

    /** {@return the maps made, by name} */
    public LoadedMaps maps() {
        return maps;
    }

    /** {@return the programs loaded, by name} */
    public LoadedPrograms programs() {
        return programs;
    }

    /** {@return the non-per-CPU global sections' maps, in load order} */
    public List<GlobalMap> globalMaps() {
        return List.copyOf(globalMaps);
    }

    /** {@return the per-CPU sections' maps, in load order, to be filled} */
    public List<PercpuMap> percpuMaps() {
        return List.copyOf(percpuMaps);
    }

    /** {@return why the object's BTF is not in the kernel; null when it is} */
    public String btfRefusal() {
        return btf.refusal();
    }

    /** Closes every program, map and the BTF; later calls do nothing. */
    @Override
    public void close() {
        if (arena != null) {
            arena.close(); // unmapped before the map's descriptor goes
        }
        programs.close();
        maps.close();
        btf.close();
        btf = ObjectBtf.none("closed");
    }
}
