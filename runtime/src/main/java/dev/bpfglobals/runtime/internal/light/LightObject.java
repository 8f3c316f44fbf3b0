package dev.bpfglobals.runtime.internal.light;

import dev.bpfglobals.runtime.kernel.BpfFd;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a light skeleton's loader made: the descriptors of its maps and programs, by name, owned
 * here until {@link #close()}. Callers wrap them with the public open-by-descriptor API
 * ({@code BpfMap.openFd}, {@code BpfProgram.openFd}), which duplicates them.
 */
public final class LightObject implements AutoCloseable {

    private final List<BpfFd> mapsInOrder;
    private final Map<String, BpfFd> maps;
    private final Map<String, BpfFd> programs;

    /**
     * @param mapNames the maps' kernel names, in creation order; two may be the same (sections whose
     *                 names share their first 15 characters), which {@link #maps()} then lists once
     * @param mapFds   their descriptors, in the same order
     * @param programs the programs' descriptors by name
     */
    LightObject(List<String> mapNames, List<BpfFd> mapFds, Map<String, BpfFd> programs) {
        this.mapsInOrder = List.copyOf(mapFds);
        Map<String, BpfFd> byName = new LinkedHashMap<>();
        for (int i = 0; i < mapNames.size(); i++) {
            byName.putIfAbsent(mapNames.get(i), mapFds.get(i));
        }
        this.maps = Collections.unmodifiableMap(byName);
        this.programs = Collections.unmodifiableMap(new LinkedHashMap<>(programs));
    }

    /** {@return the maps' descriptors by kernel name, in creation order (the first of a repeated name); still this object's} */
    public Map<String, BpfFd> maps() {
        return maps;
    }

    /** {@return every map's descriptor in creation order, the plan's order; still this object's} */
    public List<BpfFd> mapsInOrder() {
        return mapsInOrder;
    }

    /** {@return the programs' descriptors by name, in load order; still this object's} */
    public Map<String, BpfFd> programs() {
        return programs;
    }

    /**
     * One map's descriptor.
     *
     * @param name the map's name as the plan gave it
     * @return its descriptor, still this object's
     * @throws IllegalArgumentException if there is no such map
     */
    public BpfFd map(String name) {
        BpfFd fd = maps.get(name);
        if (fd == null) {
            throw new IllegalArgumentException("the light skeleton has no map '" + name + "'; it has " + maps.keySet());
        }
        return fd;
    }

    /**
     * One program's descriptor.
     *
     * @param name the program's name as the plan gave it
     * @return its descriptor, still this object's
     * @throws IllegalArgumentException if there is no such program
     */
    public BpfFd program(String name) {
        BpfFd fd = programs.get(name);
        if (fd == null) {
            throw new IllegalArgumentException("the light skeleton has no program '" + name + "'; it has " + programs.keySet());
        }
        return fd;
    }

    /** Closes every descriptor. */
    @Override
    public void close() {
        List<BpfFd> all = new ArrayList<>(programs.values());
        all.addAll(mapsInOrder);
        all.forEach(BpfFd::close);
    }
}
