package dev.bpfglobals.runtime.attach;

import dev.bpfglobals.runtime.internal.Bpf;
import dev.bpfglobals.runtime.internal.BpfMaps;
import dev.bpfglobals.runtime.internal.MapCommands;
import dev.bpfglobals.runtime.kernel.BpfFd;
import dev.bpfglobals.runtime.kernel.MapInfo;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The maps {@code usdt.bpf.h} declares, {@code __bpf_usdt_specs} (spec id to {@link UsdtSpec}) and
 * {@code __bpf_usdt_ip_to_spec_id} (probe address to spec id, for kernels without BPF cookies),
 * found through the program itself: the kernel lists the maps a program uses, and their names are
 * those (cut to 15 characters). So an attach needs the program alone, not the object it came from.
 * Addresses are mapped wherever they are known ({@link UsdtAddresses}), cookies or not, so that a
 * kernel without cookies finds the same spec the cookie names.
 * Spec ids are handed out per specs map, in this process, and given back when a link closes.
 */
final class UsdtSpecMaps {

    static final String SPECS = "__bpf_usdt_spec";
    static final String IP_TO_SPEC_ID = "__bpf_usdt_ip_t";

    /** Spec ids in use, by the kernel id of their specs map. */
    private static final Map<Integer, BitSet> IN_USE = new HashMap<>();

    private UsdtSpecMaps() {
    }

    /** A map the program uses, with its kernel id and size; the caller closes {@code fd}. */
    record UsedMap(BpfFd fd, MapInfo info) {
    }

    /** The program's map named {@code name} (its kernel name), as a new descriptor; empty where it uses none. */
    static Optional<UsedMap> find(BpfFd program, String name) {
        for (int id : Bpf.progMapIds(program)) {
            BpfFd fd = BpfMaps.fdById(id, 0);
            MapInfo info = BpfMaps.info(fd);
            if (info.name().equals(name)) {
                return Optional.of(new UsedMap(fd, info));
            }
            fd.close();
        }
        return Optional.empty();
    }

    /**
     * Writes {@code specs} to {@code specsMap} under ids free in it, in order: the ids, which
     * {@link #release} gives back.
     *
     * @throws IllegalStateException where the map has fewer free ids than specs, naming the macro that sizes it
     */
    static List<Integer> store(UsedMap specsMap, List<UsdtSpec> specs, String what) {
        List<Integer> ids = allocate(specsMap.info(), specs.size(), what);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment key = arena.allocate(ValueLayout.JAVA_INT);
            MemorySegment value = arena.allocate(UsdtSpec.SIZE, 8);
            for (int i = 0; i < specs.size(); i++) {
                key.set(ValueLayout.JAVA_INT, 0, ids.get(i));
                value.copyFrom(MemorySegment.ofArray(specs.get(i).bytes()));
                BpfMaps.update(specsMap.fd(), key, value, 0);
            }
        } catch (RuntimeException e) {
            release(specsMap.info().id(), ids);
            throw e;
        }
        return ids;
    }

    /** Maps address {@code ip} to spec id {@code specId} in {@code ipMap} (its key is a {@code long}, its value a {@code __u32}). */
    static void mapAddress(UsedMap ipMap, long ip, int specId) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment key = arena.allocate(ValueLayout.JAVA_LONG);
            key.set(ValueLayout.JAVA_LONG, 0, ip);
            MemorySegment value = arena.allocate(ValueLayout.JAVA_INT);
            value.set(ValueLayout.JAVA_INT, 0, specId);
            BpfMaps.update(ipMap.fd(), key, value, 0);
        }
    }

    /**
     * Removes address {@code ip} from {@code ipMap} where it still maps to {@code specId}: another
     * attachment of the same site may have mapped it since, and keeps it.
     */
    static void unmapAddress(UsedMap ipMap, long ip, int specId) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment key = arena.allocate(ValueLayout.JAVA_LONG);
            key.set(ValueLayout.JAVA_LONG, 0, ip);
            MemorySegment value = arena.allocate(ValueLayout.JAVA_INT);
            if (BpfMaps.lookupRaw(ipMap.fd(), key, value, 0) == 0 && value.get(ValueLayout.JAVA_INT, 0) == specId) {
                MapCommands.deleteRaw(ipMap.fd(), key);
            }
        }
    }

    /** Takes {@code count} ids free in {@code specsMap} (of kernel id and size as its info says). */
    static List<Integer> allocate(MapInfo specsMap, int count, String what) {
        synchronized (IN_USE) {
            BitSet used = IN_USE.computeIfAbsent(specsMap.id(), id -> new BitSet());
            List<Integer> ids = new ArrayList<>();
            for (int id = used.nextClearBit(0); ids.size() < count && id < specsMap.maxEntries(); id = used.nextClearBit(id + 1)) {
                ids.add(id);
            }
            if (ids.size() < count) {
                throw new IllegalStateException(what + " needs " + count + " argument specs, but map " + SPECS + "s has "
                        + (specsMap.maxEntries() - used.cardinality()) + " of its " + specsMap.maxEntries()
                        + " free; define BPF_USDT_MAX_SPEC_CNT larger before including usdt.bpf.h, or close other USDT links");
            }
            ids.forEach(used::set);
            return ids;
        }
    }

    /** Gives spec ids {@code ids} of the specs map with kernel id {@code mapId} back. */
    static void release(int mapId, List<Integer> ids) {
        synchronized (IN_USE) {
            BitSet used = IN_USE.get(mapId);
            if (used != null) {
                ids.forEach(used::clear);
                if (used.isEmpty()) {
                    IN_USE.remove(mapId);
                }
            }
        }
    }
}
