package dev.bpfglobals.runtime.internal.loader;

import dev.bpfglobals.contract.MapNames;
import dev.bpfglobals.contract.MapType;
import dev.bpfglobals.contract.SectionContract;
import dev.bpfglobals.runtime.btf.SectionBtfWriter;
import dev.bpfglobals.runtime.internal.BpfMaps;
import dev.bpfglobals.runtime.internal.BtfObjects;
import dev.bpfglobals.runtime.internal.RingSyscalls;
import dev.bpfglobals.runtime.kernel.BpfException;
import dev.bpfglobals.runtime.kernel.BpfFd;
import dev.bpfglobals.runtime.kernel.Errno;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.function.IntSupplier;

/**
 * Makes an object's maps as libbpf makes them, each typed by the object's BTF where the kernel
 * took it: the global sections' (per-CPU ones as PERCPU_ARRAY, {@code .rodata} read-only and
 * frozen), {@code .kconfig}'s and those {@code .maps} declares. Every map goes through
 * {@link BpfMaps#create}; what this adds is which flags and BTF ids each kind gets.
 */
public final class ObjectMaps {

    private final ObjectImage object;
    private final ObjectBtf btf;
    private final IntSupplier possibleCpus;

    ObjectMaps(ObjectImage object, ObjectBtf btf, IntSupplier possibleCpus) {
        this.object = object;
        this.btf = btf;
        this.possibleCpus = possibleCpus;
    }

    /**
     * A map declared in {@code .maps}, with its key and value types where either is given as a type, as
     * libbpf passes them (a BLOOM_FILTER has a value type only); where the kernel refuses them the map is
     * made again without BTF.
     */
    BpfFd declared(MapDefinition map) {
        boolean typed = map.keyTypeId() != 0 || map.valueTypeId() != 0;
        if (map.inner() == null) {
            return create(map.type(), map.keySize(), map.valueSize(), maxEntries(map), map.flags(), map.mapExtra(), map.name(),
                    typed ? btf.fd() : null, map.keyTypeId(), map.valueTypeId(), null);
        }
        // As libbpf does, the template inner map lives only until the outer map is made: the kernel
        // copies its shape, and the maps later stored in the slots need only match it.
        try (BpfFd template = declared(map.inner())) {
            // The kernel types a map of maps' values itself (an fd in, an id out): no BTF value type.
            return create(map.type(), map.keySize(), map.valueSize(), maxEntries(map), map.flags(), map.mapExtra(), map.name(),
                    null, 0, 0, template);
        }
    }

    /**
     * The declared entry count, except that a PERF_EVENT_ARRAY declared without one gets one entry
     * per possible CPU, as libbpf's {@code map_set_def_max_entries} gives it (the kernel refuses 0):
     * programs index it by CPU ({@code BPF_F_CURRENT_CPU}). A ring buffer's size is rounded up to
     * the power-of-2 multiple of the page size the kernel needs, as libbpf's {@code adjust_ringbuf_sz} does.
     */
    int maxEntries(MapDefinition map) {
        if (map.type() == MapType.PERF_EVENT_ARRAY.kernelValue() && map.maxEntries() == 0) {
            return possibleCpus.getAsInt();
        }
        if (map.type() == MapType.RINGBUF.kernelValue() || map.type() == MapType.USER_RINGBUF.kernelValue()) {
            return ringBufferSize(map.maxEntries(), RingSyscalls.pageSize());
        }
        return map.maxEntries();
    }

    /**
     * {@code size} where it is 0 (the kernel then names the missing size) or already a power-of-2
     * multiple of {@code page}, else the smallest such multiple above it; {@code size} again where
     * none fits 32 bits, for the kernel to refuse.
     */
    static int ringBufferSize(int size, long page) {
        long requested = Integer.toUnsignedLong(size);
        if (requested == 0 || requested % page == 0 && Long.bitCount(requested / page) == 1) {
            return size;
        }
        for (long multiple = page; multiple <= 0xFFFF_FFFFL; multiple <<= 1) {
            if (multiple > requested) {
                return (int) multiple;
            }
        }
        return size;
    }

    /**
     * The PERCPU_ARRAY of a per-CPU section, not yet filled, typed by the object's DATASEC where the
     * kernel took the object's BTF (structs then decode member by member, as libbpf's maps do),
     * else by BTF made from the section's layout.
     */
    BpfFd percpu(SectionImage section) {
        int datasec = btf.datasecId(object, section.name());
        int key = btf.keyTypeId(object);
        SectionContract layout = section.layout();
        if (datasec == 0 || key == 0) {
            return percpuWithLayoutBtf(layout);
        }
        return BpfMaps.create(MapType.PERCPU_ARRAY.kernelValue(), layout.keySize(), layout.valueSize(),
                layout.maxEntries(), 0, MapNames.ofSection(layout.name()), btf.fd(), key, datasec);
    }

    /**
     * The PERCPU_ARRAY of a per-CPU section as libbpf names and shapes it, with BTF as libbpf gives
     * global-data maps: the value is the section's DATASEC, made from {@code section}, so tools such as
     * {@code bpftool map dump} print each variable by name.
     *
     * @param section the per-CPU section's layout
     * @return the new, empty map
     */
    public static BpfFd percpuWithLayoutBtf(SectionContract section) {
        SectionBtfWriter.Encoded encoded = SectionBtfWriter.encode(section);
        try (BpfFd btfFd = BtfObjects.load(encoded.bytes())) { // the map holds its own reference to the BTF
            return BpfMaps.create(MapType.PERCPU_ARRAY.kernelValue(), section.keySize(), section.valueSize(),
                    section.maxEntries(), 0, MapNames.ofSection(section.name()), btfFd, encoded.keyTypeId(), encoded.datasecId());
        }
    }

    /**
     * A one-entry ARRAY holding the section's initial image, named as libbpf names it, mmapable
     * where libbpf makes it so ({@link SectionImage#isMmapable()}).
     * With BTF its value type is the section's DATASEC (and no key type, which the kernel allows for
     * exactly these maps), so tools show its variables by name.
     *
     * <p>{@code .rodata} and {@code .rodata.*} are made as libbpf makes them: with
     * {@code BPF_F_RDONLY_PROG} (so the verifier refuses a program's store into them) and frozen once
     * filled (so no one changes them after load). Only both together let the verifier read a
     * {@code const volatile} value as the constant it is, e.g. a loop bound.
     */
    BpfFd globalData(SectionImage section) {
        int size = Math.max(1, section.size());
        int datasec = section.size() == 0 ? 0 : btf.datasecId(object, section.name());
        int flags = (section.isMmapable() ? BpfMaps.F_MMAPABLE : 0) | (section.isReadOnly() ? BpfMaps.F_RDONLY_PROG : 0);
        BpfFd fd = create(MapType.ARRAY.kernelValue(), 4, size, 1, flags, section.kernelMapName(),
                datasec == 0 ? null : btf.fd(), 0, datasec, null);
        byte[] image = section.image();
        // BPF_F_RDONLY_PROG binds programs only: user space fills the map before freezing it.
        return filled(fd, image, size, section.isReadOnly());
    }

    /**
     * libbpf's internal {@code .kconfig} map: the values of the object's {@code __kconfig} externs,
     * made like {@code .rodata} (read-only to programs, mmapable, frozen once filled), typed by the
     * rewritten {@code .kconfig} DATASEC.
     */
    BpfFd kconfig(KconfigMap kconfig, byte[] image) {
        int datasec = btf.datasecId(object, KconfigMap.SECTION);
        BpfFd fd = create(MapType.ARRAY.kernelValue(), 4, kconfig.size(), 1, BpfMaps.F_MMAPABLE | BpfMaps.F_RDONLY_PROG,
                MapNames.ofSection(KconfigMap.SECTION), datasec == 0 ? null : btf.fd(), 0, datasec, null);
        return filled(fd, image, kconfig.size(), true);
    }

    /** Writes {@code image} as the one value of {@code fd}, freezing it if asked; closes {@code fd} on failure. */
    private static BpfFd filled(BpfFd fd, byte[] image, int size, boolean freeze) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(size, 8);
            MemorySegment.copy(image, 0, value, ValueLayout.JAVA_BYTE, 0, image.length);
            BpfMaps.update(fd, arena.allocate(4), value, 0);
            if (freeze) {
                BpfMaps.freeze(fd);
            }
            return fd;
        } catch (RuntimeException e) {
            fd.close();
            throw e;
        }
    }

    /** Like libbpf, a map whose BTF types the kernel refuses is made again without them. */
    private static BpfFd create(int type, int keySize, int valueSize, int maxEntries, int flags, String name, BpfFd btfFd,
            int keyTypeId, int valueTypeId, BpfFd innerMap) {
        return create(type, keySize, valueSize, maxEntries, flags, 0, name, btfFd, keyTypeId, valueTypeId, innerMap);
    }

    private static BpfFd create(int type, int keySize, int valueSize, int maxEntries, int flags, long mapExtra, String name,
            BpfFd btfFd, int keyTypeId, int valueTypeId, BpfFd innerMap) {
        if (btfFd != null) {
            try {
                return BpfMaps.create(type, keySize, valueSize, maxEntries, flags, mapExtra, name, btfFd, keyTypeId, valueTypeId, innerMap);
            } catch (BpfException e) {
                if (e.errno() == Errno.EPERM) {
                    throw e;
                }
            }
        }
        return BpfMaps.create(type, keySize, valueSize, maxEntries, flags, mapExtra, name, null, 0, 0, innerMap);
    }
}
