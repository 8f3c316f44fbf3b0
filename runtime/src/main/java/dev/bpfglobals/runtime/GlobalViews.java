package dev.bpfglobals.runtime;

import dev.bpfglobals.contract.SectionContract;
import dev.bpfglobals.runtime.internal.loader.ExternsReader;
import dev.bpfglobals.runtime.internal.loader.LoadResult;
import dev.bpfglobals.runtime.kernel.BpfFd;
import dev.bpfglobals.runtime.kernel.Errno;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The mmapped views of a {@link LoadedObject}'s non-per-CPU global sections, made on first request:
 * what {@link LoadedObject#globalData} hands out. Closing it unmaps them.
 */
final class GlobalViews {

    private final Arena mappings = Arena.ofShared();
    private final Map<String, MemorySegment> views = new HashMap<>();
    private final Map<String, Integer> sizes = new HashMap<>();
    /** Global sections whose map libbpf's rule makes without BPF_F_MMAPABLE (only static or hidden variables, or no BTF). */
    private final Set<String> unmappable = new HashSet<>();
    /** The variables of each mmappable global section, which a typed view is checked against. */
    private final Map<String, SectionContract> layouts = new HashMap<>();

    /** Notes each global section's size, mmapability and layout (none for {@code .kconfig}), as the loader made its map. */
    void sections(List<LoadResult.GlobalMap> made) {
        for (LoadResult.GlobalMap global : made) {
            sizes.put(global.name(), global.size());
            if (!global.mmapable()) {
                unmappable.add(global.name());
            }
            if (global.layout() != null) {
                layouts.put(global.name(), global.layout());
            }
        }
    }

    /** Whether {@code section} is a non-per-CPU global section of the object. */
    boolean has(String section) {
        return sizes.containsKey(section);
    }

    SectionContract layoutOf(String section) {
        return layouts.get(section);
    }

    /** The view of {@code section}, whose map is {@code map} (null where the object has none). */
    MemorySegment view(String section, BpfFd map) {
        MemorySegment view = views.get(section);
        if (view != null) {
            return view;
        }
        if (map == null || !has(section)) {
            throw new IllegalArgumentException("no mmappable global section '" + section + "'; have " + sizes.keySet());
        }
        if (unmappable.contains(section)) {
            throw new IllegalArgumentException("section '" + section + "' is not mmapable: it holds only static or hidden"
                    + " variables (or the object has no BTF), and such a map is made without BPF_F_MMAPABLE, as libbpf makes it;"
                    + " read it with map(\"" + section + "\").lookup(0), or declare one of its variables global");
        }
        // The kernel refuses a writable mapping of a frozen map (EPERM), so .rodata is mapped for reading only.
        boolean writable = !GlobalSection.isReadOnly(section) && !section.equals(ExternsReader.KCONFIG);
        int[] error = new int[1];
        view = dev.bpfglobals.runtime.internal.Sys.mmap(map, sizes.get(section), writable, mappings, error)
                .orElseThrow(() -> new IllegalStateException("mmap of " + section + " failed: " + Errno.of(-error[0])));
        view = writable ? view : view.asReadOnly();
        views.put(section, view);
        return view;
    }

    /** Unmaps every view; later calls do nothing. */
    void close() {
        if (mappings.scope().isAlive()) {
            mappings.close();
        }
    }
}
