package dev.bpfglobals.runtime.kernel;

import dev.bpfglobals.contract.MapType;
import java.util.Optional;

/**
 * What the kernel reports about a map ({@code struct bpf_map_info}).
 *
 * @param id             the map's id, system-wide
 * @param kernelType     the kernel's map type number
 * @param keySize        key size in bytes
 * @param valueSize      value size in bytes (one CPU's copy, for per-CPU maps)
 * @param maxEntries     number of entries
 * @param flags          the map's creation flags
 * @param name           the map's kernel name (at most 15 characters)
 * @param btfId          the id of the map's BTF, 0 if it has none
 * @param btfKeyTypeId   the BTF type id of the key, 0 if none
 * @param btfValueTypeId the BTF type id of the value, 0 if none
 * @param mapExtra       the map's {@code map_extra} (a bloom filter's hash count), 0 before kernel 5.16
 */
public record MapInfo(int id, int kernelType, int keySize, int valueSize, int maxEntries, int flags, String name,
        int btfId, int btfKeyTypeId, int btfValueTypeId, long mapExtra) {

    /** {@return the map type, when this library names it} */
    public Optional<MapType> type() {
        return MapType.fromKernel(kernelType);
    }

    /** {@return the type's name, or its number for types this library does not name} */
    public String typeName() {
        return type().map(Enum::name).orElse("type " + kernelType);
    }
}
