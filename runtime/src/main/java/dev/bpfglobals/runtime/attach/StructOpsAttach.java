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
 * Registers struct_ops maps with the kernel, as libbpf's {@code bpf_map__attach_struct_ops} does
 * ({@code LoadedObject.attach(mapName)} comes here). Each map's value is the kernel's struct with its
 * function pointers holding program descriptors. A {@code .struct_ops} map is registered by writing
 * that value at key 0 (a TCP congestion control then appears in {@code tcp_available_congestion_control})
 * and unregistered by deleting it. A {@code .struct_ops.link} map (made {@code BPF_F_LINK}) has its
 * value written at load, which only readies it, and is registered by a BPF link of attach type
 * {@code BPF_STRUCT_OPS}: pinnable, and {@linkplain #update updatable} to another such map.
 */
public final class StructOpsAttach {

    private StructOpsAttach() {
    }

    /**
     * Registers a {@code .struct_ops} map by writing {@code value} at key 0.
     *
     * @param map   the map, which stays the caller's
     * @param value its value, with the programs' descriptors in it
     * @param name  the map's name, for messages
     * @return the registration: closing it deletes key 0, which unregisters the map
     * @throws IllegalStateException naming the errno and its usual cause where the kernel refuses the value
     */
    public static Link register(BpfFd map, MemorySegment value, String name) {
        write(map, value, name);
        BpfFd held = map.dup();
        return Link.of("struct_ops map '" + name + "'", () -> unregister(held, name), held);
    }

    /**
     * Writes {@code value} into a {@code .struct_ops.link} map, which readies it for a link without registering it.
     *
     * @param map   the map, made {@code BPF_F_LINK}
     * @param value its value, with the programs' descriptors in it
     * @param name  the map's name, for messages
     * @throws IllegalStateException naming the errno and its usual cause where the kernel refuses the value
     */
    public static void prepare(BpfFd map, MemorySegment value, String name) {
        write(map, value, name);
    }

    /**
     * Registers a readied {@code .struct_ops.link} map through a BPF link ({@code BPF_LINK_CREATE}).
     *
     * @param map  the map, which stays the caller's (the link holds the kernel's own reference)
     * @param name the map's name, for messages
     * @return the link, which unregisters the map once closed and unpinned
     * @throws IllegalStateException naming the errno and its usual cause where the kernel refuses it
     */
    public static Link link(BpfFd map, String name) {
        try {
            return Link.of("struct_ops link of map '" + name + "'", Links.createOnLoadTarget(map, Links.STRUCT_OPS,
                    "struct_ops map '" + name + "'"));
        } catch (BpfException refusal) {
            throw explain("struct_ops map '" + name + "'", "its link", refusal);
        }
    }

    /**
     * Makes struct_ops link {@code link} register {@code map} instead of the map it registers now
     * ({@code BPF_LINK_UPDATE}), at once: e.g. {@code LoadedObject.map(name).fd()} of a newer build
     * of the object. For a TCP congestion control, both maps must carry the same {@code .name}.
     *
     * @param link a link of a {@code .struct_ops.link} map (from {@code LoadedObject.attach}, or opened pinned)
     * @param map  a {@code .struct_ops.link} map of the same struct, loaded (and so readied); it stays the caller's
     * @throws IllegalArgumentException where {@code link} is no BPF link
     * @throws IllegalStateException naming the errno and its usual cause where the kernel refuses the update
     */
    public static void update(Link link, BpfFd map) {
        link.requireLink("cannot take another struct_ops map; only the link of a .struct_ops.link map can");
        try {
            Links.updateMap(link.firstFd(), map, "updating " + link.what() + " to " + map.what());
        } catch (BpfException refusal) {
            throw explain(link.what(), "its update to " + map.what() + " (which must be a loaded .struct_ops.link map of "
                    + "the same struct)", refusal);
        }
    }

    private static void write(BpfFd map, MemorySegment value, String name) {
        try (Arena arena = Arena.ofConfined()) {
            BpfMaps.update(map, arena.allocate(ValueLayout.JAVA_INT), value, 0);
        } catch (BpfException refusal) {
            throw explain("struct_ops map '" + name + "'", "its value", refusal);
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

    /** The kernel's refusal, with what usually causes it. */
    private static RuntimeException explain(String what, String refused, BpfException refusal) {
        String cause = switch (refusal.errno()) {
            case EEXIST -> "something of the same name is registered already (e.g. a congestion control of that .name); "
                    + "unregister it or rename this one";
            case EBUSY -> "the map is registered already (close its registration first), or was registered and unregistered:"
                    + " the kernel registers a struct_ops map once; load the object again to register it again";
            case EINVAL -> "the kernel's checks failed: a required callback is missing (tcp_congestion_ops needs ssthresh, "
                    + "undo_cwnd and cong_avoid or cong_control), a name is empty or too long, a data member holds a value the "
                    + "kernel refuses, or a link and a map do not belong together";
            case EPERM, ENOTSUPP, EOPNOTSUPP -> "this kernel or a security module refuses the BPF trampolines struct_ops needs";
            default -> "see the kernel's struct_ops checks for this struct";
        };
        return new IllegalStateException("registering " + what + ": the kernel refused " + refused + " with " + refusal.errno()
                + ": " + cause, refusal);
    }
}
