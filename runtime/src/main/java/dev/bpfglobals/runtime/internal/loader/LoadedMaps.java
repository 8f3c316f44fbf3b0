package dev.bpfglobals.runtime.internal.loader;

import dev.bpfglobals.contract.MapNames;
import dev.bpfglobals.contract.SectionContract;
import dev.bpfglobals.runtime.internal.BpfMaps;
import dev.bpfglobals.runtime.kernel.BpfException;
import dev.bpfglobals.runtime.kernel.BpfFd;
import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The maps a load made, by name: one per per-CPU section, the compat map names that stand for
 * them, and the maps of {@code .maps} and of the other global sections. Owns their descriptors;
 * what it hands out is lent, for the caller to {@code dup} when it keeps one.
 */
public final class LoadedMaps {

    /** The maps of the per-CPU sections, by section name, in load order. */
    private final Map<String, BpfFd> percpu = new LinkedHashMap<>();
    /** Compat map names declared by the object, each with the per-CPU section it stands for. */
    private final Map<String, String> compatAliases = new HashMap<>();
    /** The maps of {@code .maps} and of the non-per-CPU global sections, by name. */
    private final Map<String, BpfFd> maps = new LinkedHashMap<>();

    void percpu(String section, BpfFd map) {
        percpu.put(section, map);
    }

    void compatAlias(String mapName, String section) {
        compatAliases.put(mapName, section);
    }

    /** Keeps {@code map} as {@code name}; a name taken already is refused (and the new map closed), never overwritten and leaked. */
    void map(String name, BpfFd map) {
        if (maps.putIfAbsent(name, map) != null) {
            map.close();
            throw new ObjectFormatException("two maps are named '" + name + "' (a .maps map and a struct_ops variable, or two of"
                    + " either): each map needs a name of its own");
        }
    }

    /**
     * @param name a per-CPU section's name or the name of a compat map that stands for one
     * @return the per-CPU section behind it, or null for any other name
     */
    public String percpuSectionFor(String name) {
        String section = compatAliases.getOrDefault(name, name);
        return percpu.containsKey(section) ? section : null;
    }

    /**
     * @param name a {@code .maps} variable or a non-per-CPU global section
     * @return its map, lent; null where the load made no such ordinary map
     */
    public BpfFd ordinary(String name) {
        return maps.get(name);
    }

    /** {@return the names of every map made: the per-CPU sections first, then the others} */
    public List<String> names() {
        List<String> names = new ArrayList<>(percpu.keySet());
        names.addAll(maps.keySet());
        return List.copyOf(names);
    }

    /** {@return the per-CPU sections that got a map, in the object's order} */
    public List<String> percpuSections() {
        return List.copyOf(percpu.keySet());
    }

    /**
     * The map made for this name (a {@code .maps} variable, a global section, a compat map), lent.
     *
     * @param name the map's name
     * @return its descriptor, which this object keeps owning
     * @throws IllegalStateException where the load made no map of that name
     */
    public BpfFd fd(String name) {
        String section = percpuSectionFor(name);
        if (section != null) {
            return percpu.get(section);
        }
        if (name.equals(MapNames.PERCPU_COMPAT) || name.equals(SectionContract.PERCPU)) {
            throw new IllegalStateException("the object uses " + name + " but has no .percpu section");
        }
        BpfFd map = maps.get(name);
        if (map == null) {
            throw new IllegalStateException("no map named '" + name + "' in this object");
        }
        return map;
    }

    /** Stores the map made for {@code inner} in slot {@code slot} of map of maps {@code outer}, as {@code .values} asks. */
    void fillSlot(String outer, int slot, String inner) {
        BpfFd innerMap = maps.get(inner);
        if (innerMap == null) {
            throw new IllegalStateException("map '" + outer + "': .values slot [" + slot + "] holds '" + inner
                    + "', which this object did not make as an ordinary map; point the slot at a map declared in SEC(\".maps\")");
        }
        try {
            store(maps.get(outer), slot, innerMap);
        } catch (BpfException refusal) {
            throw new IllegalStateException("map '" + outer + "': the kernel refused '" + inner + "' in slot [" + slot + "] ("
                    + refusal.errno() + "): an inner map must have the type, key size, value size and flags of the inner "
                    + "definition in __array(values, ...); declare '" + inner + "' to match it", refusal);
        }
    }

    /** Puts program {@code name} in slot {@code slot} of PROG_ARRAY {@code outer}, as its {@code .values} says. */
    void fillProgramSlot(String outer, int slot, LoadedPrograms programs, String name) {
        try (BpfFd program = programs.fd(name)) {
            store(maps.get(outer), slot, program);
        } catch (IllegalArgumentException notLoaded) {
            throw new IllegalStateException("map '" + outer + "': .values slot [" + slot + "] holds program '" + name
                    + "', which was not loaded: " + notLoaded.getMessage(), notLoaded);
        } catch (BpfException refusal) {
            throw new IllegalStateException("map '" + outer + "': the kernel refused program '" + name + "' in slot [" + slot
                    + "] (" + refusal.errno() + "): a tail program must have the type of the programs that call it", refusal);
        }
    }

    /** A map of maps or a PROG_ARRAY takes a descriptor as its value, and keeps a reference of its own. */
    private static void store(BpfFd outer, int slot, BpfFd value) {
        int valueFd = value.acquire();
        try (Arena arena = Arena.ofConfined()) {
            BpfMaps.update(outer, arena.allocateFrom(ValueLayout.JAVA_INT, slot), arena.allocateFrom(ValueLayout.JAVA_INT, valueFd), 0);
        } finally {
            value.release();
        }
    }

    /** Closes the ordinary maps first (after the caller unmapped their views), then the per-CPU ones. */
    void close() {
        List<BpfFd> made = new ArrayList<>(maps.values());
        maps.clear();
        made.forEach(BpfFd::close);
        percpu.values().forEach(BpfFd::close);
        percpu.clear();
    }
}
