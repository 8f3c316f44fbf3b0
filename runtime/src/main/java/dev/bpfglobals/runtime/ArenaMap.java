package dev.bpfglobals.runtime;

import dev.bpfglobals.runtime.internal.loader.ArenaMapping;
import dev.bpfglobals.runtime.internal.loader.SectionImage;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * A loaded object's {@code BPF_MAP_TYPE_ARENA} map (Linux 6.9+) as this process maps it: pages that
 * programs and Java share, where a program's arena pointer and this segment's address are the same
 * number ({@code arena.memory().address()} is the arena's user address, its {@code map_extra} where
 * the C declares one). Programs allocate pages with the kfunc {@code bpf_arena_alloc_pages}; a Java
 * access to a page no one allocated yet allocates it (a zeroed page), as a user page fault does.
 *
 * <p>The {@code __arena} globals of the object ({@code .addr_space.1}) sit at the start of the arena
 * (offset 0), starting from their C initialisers: {@link #variable} slices one by name.
 *
 * <p><b>Who owns the mapping.</b> The {@link LoadedObject} does: the kernel lets a process map an
 * arena once, at its user address, and the loader must map it before it loads the programs that use
 * it. The segments from here are valid until that object closes, which unmaps them; accesses after
 * that throw {@link IllegalStateException} (the JDK's closed-arena error).
 */
public final class ArenaMap {

    private final ArenaMapping mapping;

    private ArenaMap(ArenaMapping mapping) {
        this.mapping = mapping;
    }

    /** The view of a load's arena mapping, refused where the load made none. */
    static ArenaMap of(ArenaMapping mapping) {
        if (mapping == null) {
            throw new IllegalArgumentException("this object made no ARENA map (declare one in SEC(\".maps\") with "
                    + "__uint(type, BPF_MAP_TYPE_ARENA); one reused from a pin is not mapped)");
        }
        return new ArenaMap(mapping);
    }

    /** {@return the map's name, as the object's {@code .maps} declares it} */
    public String name() {
        return mapping.name();
    }

    /**
     * The whole arena, {@code max_entries} pages, mapped read-write and shared with the programs.
     *
     * @return the arena's memory, valid until the loaded object closes
     */
    public MemorySegment memory() {
        return mapping.memory();
    }

    /**
     * {@return the arena's user address: where this process maps it, and the upper 32 bits of every arena pointer a program hands out}
     */
    public long userAddress() {
        return mapping.memory().address();
    }

    /** {@return the {@code __arena} globals: the variables of {@code .addr_space.1}, by offset from the arena's start; empty without any} */
    public List<GlobalVariable> variables() {
        SectionImage globals = mapping.globals();
        return globals == null ? List.of() : globals.variables().stream().map(GlobalVariable::of).toList();
    }

    /**
     * The live bytes of one {@code __arena} global.
     *
     * @param name the variable's C name
     * @return its bytes in the arena, valid until the loaded object closes
     * @throws IllegalArgumentException if the object has no {@code __arena} global of that name, listing those it has
     */
    public MemorySegment variable(String name) {
        GlobalVariable variable = variables().stream().filter(v -> v.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("arena '" + name() + "' has no __arena global named '" + name
                        + "'; it has " + variables().stream().map(GlobalVariable::name).toList()));
        return memory().asSlice(variable.offset(), variable.size());
    }

    /**
     * Translates an arena pointer a program stored (its user-space form, as clang's
     * {@code addr_space_cast} to address space 0 makes it, or only its low 32 bits, the offset in the
     * arena's 4 GiB window) to the offset in {@link #memory()}.
     *
     * @param pointer the pointer's value as the program stored it
     * @return its offset from the arena's start
     * @throws IllegalArgumentException if the pointer lies outside this arena
     */
    public long offsetOf(long pointer) {
        long offset = (pointer - userAddress()) & 0xFFFF_FFFFL;
        if (offset >= memory().byteSize()) {
            throw new IllegalArgumentException("pointer 0x" + Long.toHexString(pointer) + " lies outside arena '" + name()
                    + "' (0x" + Long.toHexString(userAddress()) + ", " + memory().byteSize() + " bytes)");
        }
        return offset;
    }
}
