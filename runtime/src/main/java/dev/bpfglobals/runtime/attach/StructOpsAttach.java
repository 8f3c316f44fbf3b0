package dev.bpfglobals.runtime.attach;

import dev.bpfglobals.runtime.internal.BpfMaps;
import dev.bpfglobals.runtime.internal.Links;
import dev.bpfglobals.runtime.internal.MapCommands;
import dev.bpfglobals.runtime.kernel.BpfException;
import dev.bpfglobals.runtime.kernel.BpfFd;
import dev.bpfglobals.runtime.kernel.Errno;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Registers a struct_ops map with the kernel, as libbpf's {@code bpf_map__attach_struct_ops}: the
 * value (the kernel's struct, its function pointers holding program descriptors) is written at key
 * 0, which for a {@code .struct_ops} map registers it (a TCP congestion-control algorithm appears in
 * {@code tcp_available_congestion_control}) until the element is deleted; a {@code .struct_ops.link}
 * map (made {@code BPF_F_LINK}) is registered by a BPF link of attach type {@code BPF_STRUCT_OPS}
 * instead, which can be pinned, and updated to another map of the same struct ({@link #update}).
 */
public final class StructOpsAttach {

    private StructOpsAttach() {
    }

    /**
     * Registers {@code map} with {@code value}.
     *
     * @param map   the struct_ops map, which stays the caller's
     * @param value the map's value, with the programs' descriptors in it
     * @param link  whether the map was made {@code BPF_F_LINK} ({@code .struct_ops.link})
     * @param name  the map's name, for messages
     * @return the registration: closing it unregisters (deletes key 0, or closes the link)
     */
    public static Link register(BpfFd map, MemorySegment value, boolean link, String name) {
        write(map, value, link, name);
        if (!link) {
            BpfFd held = map.dup();
            return Link.of("struct_ops map '" + name + "'", () -> unregister(held, name), held);
        }
        try {
            return Link.of("struct_ops link of map '" + name + "'", Links.createOnLoadTarget(map, Links.STRUCT_OPS,
                    "struct_ops map '" + name + "'"));
        } catch (BpfException refusal) {
            throw explain(name, "its link", refusal);
        }
    }

    /**
     * Makes struct_ops link {@code link} register {@code map} instead of the map it registers now
     * ({@code BPF_LINK_UPDATE}); the kernel swaps them at once (for a TCP congestion-control
     * algorithm, both must carry the same name).
     *
     * @param link  a link {@link #register} made for a {@code .struct_ops.link} map
     * @param map   another struct_ops map of the same struct, made {@code BPF_F_LINK}
     * @param value its value, with the programs' descriptors in it
     * @param name  its name, for messages
     */
    public static void update(Link link, BpfFd map, MemorySegment value, String name) {
        link.requireLink("cannot be updated to struct_ops map '" + name + "'; only a .struct_ops.link map's link can");
        write(map, value, true, name);
        try {
            Links.updateMap(link.firstFd(), map, "updating " + link.what() + " to struct_ops map '" + name + "'");
        } catch (BpfException refusal) {
            throw explain(name, "the update of " + link.what() + " to it", refusal);
        }
    }

    /** Writes the value at key 0; a link map written before (by an earlier link) answers EBUSY, as libbpf allows. */
    private static void write(BpfFd map, MemorySegment value, boolean link, String name) {
        try (Arena arena = Arena.ofConfined()) {
            BpfMaps.update(map, arena.allocate(ValueLayout.JAVA_INT), value, 0);
        } catch (BpfException refusal) {
            if (!(link && refusal.errno() == Errno.EBUSY)) {
                throw explain(name, "its value", refusal);
            }
        }
    }

    private static void unregister(BpfFd map, String name) {
        try (Arena arena = Arena.ofConfined()) {
            long result = MapCommands.deleteRaw(map, arena.allocate(ValueLayout.JAVA_INT));
            if (result < 0 && Errno.of((int) -result) != Errno.ENOENT) {
                throw new IllegalStateException("unregistering struct_ops map '" + name + "' (BPF_MAP_DELETE_ELEM) was refused with "
                        + Errno.of((int) -result));
            }
        }
    }

    /** The kernel's refusal of a registration, with what usually causes it. */
    private static RuntimeException explain(String name, String what, BpfException refusal) {
        String cause = switch (refusal.errno()) {
            case EEXIST -> "something of the same name is registered already (e.g. a congestion-control algorithm of that "
                    + ".name); unregister it or rename this one";
            case EBUSY -> "the map is registered already; close its registration first";
            case EINVAL -> "the kernel's checks of the value failed: a required callback is missing (tcp_congestion_ops needs "
                    + "ssthresh, undo_cwnd and cong_avoid or cong_control), a name is empty or too long, or a data member "
                    + "holds a value the kernel refuses";
            case EPERM, ENOTSUPP, EOPNOTSUPP -> "this kernel or a security module refuses BPF trampolines, which struct_ops needs";
            default -> "see the kernel's struct_ops checks for this struct";
        };
        return new IllegalStateException("registering struct_ops map '" + name + "': the kernel refused " + what + " with "
                + refusal.errno() + ": " + cause, refusal);
    }
}
