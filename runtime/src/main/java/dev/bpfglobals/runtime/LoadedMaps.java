package dev.bpfglobals.runtime;

import dev.bpfglobals.contract.MapNames;
import dev.bpfglobals.contract.SectionContract;
import dev.bpfglobals.runtime.kernel.BpfException;
import dev.bpfglobals.runtime.kernel.BpfFd;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The maps a {@link LoadedObject} made: one per per-CPU section, the compat map names that stand for
 * them, and the maps of {@code .maps} and of the other global sections. Owns their descriptors; what
 * it hands out is lent ({@link #fd}) or duplicated by the caller.
 */
final class LoadedMaps {

    /** The maps of the per-CPU sections, by section name, in load order. */
    private final Map<String, PerCpuArrayMap> percpu = new LinkedHashMap<>();
    /** Compat map names declared by the object, each with the per-CPU section it stands for. */
    private final Map<String, String> compatAliases = new HashMap<>();
    /** The maps of {@code .maps} and of the non-per-CPU global sections, by name. */
    private final Map<String, BpfMap> maps = new LinkedHashMap<>();

    void percpu(String section, PerCpuArrayMap map) {
        percpu.put(section, map);
    }

    void compatAlias(String mapName, String section) {
        compatAliases.put(mapName, section);
    }

    void map(String name, BpfMap map) {
        maps.put(name, map);
    }

    /** The map of per-CPU section {@code section}, or null. */
    PerCpuArrayMap percpuSection(String section) {
        return percpu.get(section);
    }

    /** The per-CPU map behind a section name or a compat map name, or null. */
    PerCpuArrayMap percpuFor(String name) {
        return percpu.get(compatAliases.getOrDefault(name, name));
    }

    /** The ordinary (not per-CPU) map {@code name}, or null. */
    BpfMap ordinary(String name) {
        return maps.get(name);
    }

    List<String> names() {
        List<String> names = new ArrayList<>(percpu.keySet());
        names.addAll(maps.keySet());
        return List.copyOf(names);
    }

    List<String> percpuSections() {
        return List.copyOf(percpu.keySet());
    }

    /** Stores the map made for {@code inner} in slot {@code slot} of map of maps {@code outer}, as {@code .values} asks. */
    void fillSlot(String outer, int slot, String inner) {
        BpfMap innerMap = maps.get(inner);
        if (innerMap == null) {
            throw new IllegalStateException("map '" + outer + "': .values slot [" + slot + "] holds '" + inner
                    + "', which this object did not make as an ordinary map; point the slot at a map declared in SEC(\".maps\")");
        }
        try {
            maps.get(outer).updateInner(slot, innerMap);
        } catch (BpfException refusal) {
            throw new IllegalStateException("map '" + outer + "': the kernel refused '" + inner + "' in slot [" + slot + "] ("
                    + refusal.errno() + "): an inner map must have the type, key size, value size and flags of the inner "
                    + "definition in __array(values, ...); declare '" + inner + "' to match it", refusal);
        }
    }

    /** Puts program {@code name} in slot {@code slot} of PROG_ARRAY {@code outer}, as its {@code .values} says. */
    void fillProgramSlot(String outer, int slot, LoadedPrograms programs, String name) {
        try (BpfProgram program = programs.program(name)) {
            maps.get(outer).programArray().set(slot, program);
        } catch (IllegalArgumentException notLoaded) {
            throw new IllegalStateException("map '" + outer + "': .values slot [" + slot + "] holds program '" + name
                    + "', which was not loaded: " + notLoaded.getMessage(), notLoaded);
        } catch (BpfException refusal) {
            throw new IllegalStateException("map '" + outer + "': the kernel refused program '" + name + "' in slot [" + slot
                    + "] (" + refusal.errno() + "): a tail program must have the type of the programs that call it", refusal);
        }
    }

    /** The map made for this name (a {@code .maps} variable, a global section, a compat map), lent to the loader. */
    BpfFd fd(String name) {
        PerCpuArrayMap percpuMap = percpuFor(name);
        if (percpuMap != null) {
            return percpuMap.map().fd();
        }
        if (name.equals(MapNames.PERCPU_COMPAT) || name.equals(SectionContract.PERCPU)) {
            throw new IllegalStateException("the object uses " + name + " but has no .percpu section");
        }
        BpfMap map = maps.get(name);
        if (map == null) {
            throw new IllegalStateException("no map named '" + name + "' in this object");
        }
        return map.fd();
    }

    /** Closes the ordinary maps first (after the caller unmapped their views), then the per-CPU ones. */
    void close() {
        List<BpfMap> made = new ArrayList<>(maps.values());
        maps.clear();
        made.forEach(BpfMap::close);
        percpu.values().forEach(PerCpuArrayMap::close);
        percpu.clear();
    }
}
