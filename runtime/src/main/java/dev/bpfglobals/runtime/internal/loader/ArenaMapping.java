package dev.bpfglobals.runtime.internal.loader;

import dev.bpfglobals.runtime.internal.RingSyscalls;
import dev.bpfglobals.runtime.internal.Sys;
import dev.bpfglobals.runtime.internal.kernelenv.Lockdown;
import dev.bpfglobals.runtime.kernel.BpfFd;
import dev.bpfglobals.runtime.kernel.Errno;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * An object's ARENA map mapped into this process, as libbpf maps it right after making it: the
 * verifier loads a program that uses an arena only once the arena has a user address, which either
 * {@code map_extra} gave or this first mmap picks, and every later mmap must be at that address. So
 * the one mapping is made here and lives as long as the load; the {@code __arena} globals' initial
 * bytes are copied to its start (the user-side page faults allocate those pages in the arena).
 */
public final class ArenaMapping implements AutoCloseable {

    private final String name;
    private final Arena owner;
    private final MemorySegment memory;
    private final SectionImage globals;

    private ArenaMapping(String name, Arena owner, MemorySegment memory, SectionImage globals) {
        this.name = name;
        this.owner = owner;
        this.memory = memory;
        this.globals = globals;
    }

    /**
     * Maps ARENA map {@code map} (all {@code max_entries} pages) and copies the {@code __arena} globals to its start.
     *
     * @param spec    the map's declaration
     * @param map     the map made for it
     * @param globals the {@code .addr_space.1} section, or null
     * @return the mapping, to close
     * @throws IllegalStateException naming the map and the errno where the mapping fails, or the sizes
     *                               where the globals do not fit
     */
    static ArenaMapping map(MapDefinition spec, BpfFd map, SectionImage globals) {
        long page = RingSyscalls.pageSize();
        long length = Integer.toUnsignedLong(spec.maxEntries()) * page;
        if (globals != null && globals.size() > length) {
            throw new IllegalStateException("map '" + spec.name() + "': its " + spec.maxEntries() + " pages (" + length
                    + " bytes) cannot hold the object's __arena globals (" + globals.size() + " bytes of "
                    + ArenaReader.SECTION + "); raise its max_entries");
        }
        Arena owner = Arena.ofShared();
        int[] error = new int[1];
        MemorySegment memory = Sys.mmapArena(map, spec.mapExtra(), length, owner, error);
        if (memory.equals(MemorySegment.NULL)) {
            owner.close();
            throw new IllegalStateException("map '" + spec.name() + "': mmap of the arena's " + length + " bytes"
                    + (spec.mapExtra() == 0 ? "" : " at its map_extra address 0x" + Long.toHexString(spec.mapExtra()))
                    + " failed with " + Errno.of(-error[0])
                    + (Errno.of(-error[0]) == Errno.EEXIST ? " (this process already uses that address: choose another map_extra, or 0)" : ""));
        }
        if (globals != null) {
            byte[] image = globals.image();
            MemorySegment.copy(image, 0, memory, ValueLayout.JAVA_BYTE, 0, image.length);
        }
        return new ArenaMapping(spec.name(), owner, memory, globals);
    }

    /**
     * Makes an ARENA map with {@code create}, naming the map and why where the kernel refuses the type
     * itself: EINVAL for a map type it does not know (before 6.9, or not a 64-bit MMU kernel), EPERM where
     * it withholds arenas from this process (this project's Firecracker host does, as root); other maps are
     * made as they are.
     *
     * @param spec   the map's declaration
     * @param create what makes it
     * @return the map
     */
    static BpfFd refusedNamed(MapDefinition spec, java.util.function.Supplier<BpfFd> create) {
        boolean arena = spec.type() == dev.bpfglobals.contract.MapType.ARENA.kernelValue();
        if (arena) {
            requireArenaShape(spec);
        }
        try {
            return create.get();
        } catch (dev.bpfglobals.runtime.kernel.BpfException e) {
            String release = dev.bpfglobals.runtime.internal.kernelenv.KernelConfig.release();
            String why = !arena ? null
                    : e.errno() == Errno.EINVAL ? "arena maps need Linux 6.9 or later, 64-bit with an MMU; this kernel is " + release
                    : e.errno() == Errno.EPERM ? "arenas need CAP_BPF, so kernel " + release + " withholds them from this process"
                            + (Lockdown.active() ? " (kernel lockdown is '" + Lockdown.mode() + "', " + Lockdown.FILE + ")" : "")
                            + " or a security module refuses them"
                    : null;
            if (why == null) {
                throw e;
            }
            throw new UnsupportedOperationException("map '" + spec.name() + "': this kernel refused BPF_MAP_TYPE_ARENA ("
                    + e.errno() + "; " + why + ")", e);
        }
    }

    /** What the kernel's {@code arena_map_alloc} refuses with EINVAL besides a missing type, named before it is asked. */
    private static void requireArenaShape(MapDefinition spec) {
        long page = RingSyscalls.pageSize();
        String problem = spec.keySize() != 0 || spec.valueSize() != 0
                ? "declares a key or value (" + spec.keySize() + " and " + spec.valueSize() + " bytes); an arena has neither"
                : spec.maxEntries() == 0 ? "has no max_entries, its page count"
                : spec.mapExtra() % page != 0 ? "has map_extra 0x" + Long.toHexString(spec.mapExtra())
                        + ", its user address, which is not a multiple of the page size (" + page + ")"
                : null;
        if (problem != null) {
            throw new IllegalStateException("ARENA map '" + spec.name() + "' " + problem);
        }
    }

    /** {@return the map's name} */
    public String name() {
        return name;
    }

    /** {@return the arena's pages as this process maps them; unmapped when this closes} */
    public MemorySegment memory() {
        return memory;
    }

    /** {@return the {@code .addr_space.1} section whose variables start the arena; null without one} */
    public SectionImage globals() {
        return globals;
    }

    /** Unmaps the arena; its pages live on in the kernel as long as the map does. */
    @Override
    public void close() {
        if (owner.scope().isAlive()) {
            owner.close();
        }
    }
}
