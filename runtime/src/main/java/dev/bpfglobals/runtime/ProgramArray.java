package dev.bpfglobals.runtime;

import dev.bpfglobals.contract.MapType;
import dev.bpfglobals.runtime.internal.BpfMaps;
import dev.bpfglobals.runtime.internal.MapCommands;
import dev.bpfglobals.runtime.kernel.BpfCommand;
import dev.bpfglobals.runtime.kernel.Errno;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.OptionalInt;

/**
 * A PROG_ARRAY map: the slots {@code bpf_tail_call(ctx, &map, index)} jumps through. A slot is set
 * with a program's descriptor, but the kernel answers a lookup with the program's id (as it does
 * for maps of maps), so what a slot holds reads back as an id. Made by {@link BpfMap#programArray()};
 * the loader fills the slots an object's {@code .values = { [i] = &prog }} names, as libbpf does.
 */
public final class ProgramArray {

    private final BpfMap map;
    private final MapElements elements;

    ProgramArray(BpfMap map, MapElements elements) {
        this.map = map;
        this.elements = elements;
        elements.requireType("program slots", MapType.PROG_ARRAY);
    }

    /**
     * Puts {@code program} in slot {@code slot}: tail calls through it run {@code program} from now
     * on. The kernel takes its own reference, so {@code program} may be closed afterwards.
     *
     * @param slot    the slot, below the map's {@code max_entries}
     * @param program the program to jump to; the kernel requires the type of the programs that call it
     * @throws dev.bpfglobals.runtime.kernel.BpfException if the kernel refuses (E2BIG: a slot beyond
     *         {@code max_entries}; EINVAL: a program of another type than the array's callers)
     */
    public void set(int slot, BpfProgram program) {
        int programFd = program.fd().acquire();
        try (Arena arena = Arena.ofConfined()) {
            long result = BpfMaps.updateRaw(map.fd(), arena.allocateFrom(ValueLayout.JAVA_INT, slot),
                    arena.allocateFrom(ValueLayout.JAVA_INT, programFd), UpdateFlag.ANY.kernelValue());
            if (result < 0) {
                throw elements.refusal(BpfCommand.BPF_MAP_UPDATE_ELEM, result, UpdateFlag.ANY);
            }
        } finally {
            program.fd().release();
        }
    }

    /**
     * The id of the program in slot {@code slot}, as {@link BpfProgram#info()} reports a program's id.
     *
     * @param slot the slot
     * @return the program's id, or empty for an empty slot
     */
    public OptionalInt programId(int slot) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment id = arena.allocate(ValueLayout.JAVA_INT);
            long result = BpfMaps.lookupRaw(map.fd(), arena.allocateFrom(ValueLayout.JAVA_INT, slot), id, 0);
            if (result == -Errno.ENOENT.number()) {
                return OptionalInt.empty();
            }
            if (result < 0) {
                throw elements.refusal(BpfCommand.BPF_MAP_LOOKUP_ELEM, result, UpdateFlag.ANY);
            }
            return OptionalInt.of(id.get(ValueLayout.JAVA_INT, 0));
        }
    }

    /**
     * Empties slot {@code slot}: tail calls through it fall through to the caller's next instruction.
     *
     * @param slot the slot
     * @return whether the slot held a program
     */
    public boolean clear(int slot) {
        try (Arena arena = Arena.ofConfined()) {
            long result = MapCommands.deleteRaw(map.fd(), arena.allocateFrom(ValueLayout.JAVA_INT, slot));
            if (result == -Errno.ENOENT.number()) {
                return false;
            }
            if (result < 0) {
                throw elements.refusal(BpfCommand.BPF_MAP_DELETE_ELEM, result, UpdateFlag.ANY);
            }
            return true;
        }
    }
}
