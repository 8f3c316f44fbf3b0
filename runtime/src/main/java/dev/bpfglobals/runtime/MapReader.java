package dev.bpfglobals.runtime;

import dev.bpfglobals.runtime.btf.Btf;
import dev.bpfglobals.runtime.btf.BtfReader;
import dev.bpfglobals.runtime.internal.Bpf;
import dev.bpfglobals.runtime.internal.OwnedFd;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A read-only view of a map of any type, opened by pin or id, for tools that decode values with the
 * map's own BTF rather than a record (such as {@code bpf-globals dump --json}): what the kernel says
 * about the map, its BTF, and the raw bytes under one 4-byte key. The kernel enforces the read-only
 * access. Owns its file descriptor.
 */
public final class MapReader implements AutoCloseable {

    private final OwnedFd fd;
    private final MapInfo info;

    private MapReader(OwnedFd fd) {
        this.fd = fd;
        try {
            this.info = Bpf.mapInfo(fd.get());
        } catch (RuntimeException e) {
            fd.close();
            throw e;
        }
    }

    /**
     * Opens the map pinned at {@code path}, read-only.
     *
     * @throws IllegalArgumentException if what is pinned there is not a map (a program, a link)
     */
    public static MapReader openPinned(Path path) {
        OwnedFd fd = new OwnedFd(Bpf.objGet(path.toString(), MapAccess.READ_ONLY.kernelFlags()), "map " + path);
        String kind = Bpf.objectKind(fd.get());
        if (!kind.equals("map")) {
            fd.close();
            throw new IllegalArgumentException(path + " is a pinned " + kind + ", not a map");
        }
        return new MapReader(fd);
    }

    /** Opens the map with this kernel id, read-only. */
    public static MapReader openById(int id) {
        return new MapReader(new OwnedFd(Bpf.mapFdById(id, MapAccess.READ_ONLY.kernelFlags()), "map id " + id));
    }

    /** What the kernel reports about the map, read when it was opened. */
    public MapInfo info() {
        return info;
    }

    /** The BTF the map was created with (its value type is {@link MapInfo#btfValueTypeId()}), or empty. */
    public Optional<Btf> btf() {
        return info.btfId() == 0 ? Optional.empty() : Optional.of(BtfReader.read(Bpf.btfById(info.btfId())));
    }

    /**
     * The value under {@code key}: {@code value_size} bytes, or for a per-CPU map one
     * {@code round_up(value_size, 8)}-byte slot per possible CPU, in {@link PossibleCpus} order.
     *
     * @throws IllegalArgumentException if the map's keys are not 4 bytes
     * @throws BpfException             if the kernel refuses the lookup (ENOENT: no such key)
     */
    public byte[] lookup(int key) {
        if (info.keySize() != 4) {
            throw new IllegalArgumentException("map '" + info.name() + "' has " + info.keySize() + "-byte keys, not 4");
        }
        boolean perCpu = info.type().map(MapType::isPerCpu).orElse(false);
        long size = perCpu ? PerCpuSnapshot.slotStride(info.valueSize()) * PossibleCpus.system().count() : info.valueSize();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(Math.max(1, size), 8);
            Bpf.lookup(fd.get(), arena.allocateFrom(ValueLayout.JAVA_INT, key), value, 0);
            return value.asSlice(0, size).toArray(ValueLayout.JAVA_BYTE);
        }
    }

    /** Closes the map's fd; later calls do nothing, later uses throw. */
    @Override
    public void close() {
        fd.close();
    }
}
