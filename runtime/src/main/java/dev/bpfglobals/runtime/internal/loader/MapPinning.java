package dev.bpfglobals.runtime.internal.loader;

import dev.bpfglobals.contract.MapType;
import dev.bpfglobals.runtime.internal.Bpf;
import dev.bpfglobals.runtime.internal.BpfMaps;
import dev.bpfglobals.runtime.kernel.BpfException;
import dev.bpfglobals.runtime.kernel.BpfFd;
import dev.bpfglobals.runtime.kernel.Errno;
import dev.bpfglobals.runtime.kernel.MapInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * libbpf's {@code LIBBPF_PIN_BY_NAME}: a {@code .maps} map declared with {@code __uint(pinning,
 * LIBBPF_PIN_BY_NAME)} lives at {@code PIN_ROOT/NAME}. Where a map is pinned there already and has
 * the declared shape (libbpf's {@code map_is_reuse_compat}: type, key size, value size, max entries,
 * flags and {@code map_extra}), the object uses that map and makes none; otherwise it makes the map
 * and pins it there, so the next object finds it. Pins made by a load that then fails are removed,
 * as libbpf removes them.
 */
final class MapPinning {

    private final Path root;
    private final List<Path> made = new ArrayList<>();
    private final Set<String> reused = new HashSet<>();

    /** @param root the pin root, {@code LoadOptions.pinRoot()} */
    MapPinning(Path root) {
        this.root = root;
    }

    /**
     * The map for {@code spec}: {@code create}'s, unless it is pinned by name; then the compatible
     * map pinned at {@code PIN_ROOT/NAME}, or {@code create}'s pinned there.
     *
     * @param maxEntries the entry count the map is made with (a PERF_EVENT_ARRAY's default filled in)
     * @throws IllegalStateException where the pinned map's shape differs, naming the field, expected and actual
     */
    BpfFd map(MapDefinition spec, int maxEntries, Supplier<BpfFd> create) {
        if (!spec.pinnedByName()) {
            return create.get();
        }
        Path path = root.resolve(spec.name());
        // A second try covers a race: another loader pinned the map between our look and our pin.
        for (int attempt = 0; ; attempt++) {
            Optional<BpfFd> pinned = openPinned(spec, path);
            if (pinned.isPresent()) {
                requireReusable(spec, maxEntries, pinned.get(), path);
                reused.add(spec.name());
                return pinned.get();
            }
            BpfFd map = create.get();
            try {
                makeRoot();
                Bpf.pin(map, path.toString());
                made.add(path);
                return map;
            } catch (BpfException e) {
                map.close();
                if (e.errno() != Errno.EEXIST || attempt > 0) {
                    throw new IllegalStateException("map '" + spec.name() + "': cannot pin it by name at " + path + ": "
                            + e.getMessage() + " (the pin root must be on a BPF file system; set it with LoadOptions.withPinRoot)", e);
                }
            } catch (RuntimeException e) {
                map.close();
                throw e;
            }
        }
    }

    /** Whether the map named {@code name} is one an earlier load pinned (libbpf then leaves its slots alone). */
    boolean reused(String name) {
        return reused.contains(name);
    }

    /** Removes the pins this load made, newest first: the load failed, and they would hold its maps for no one. */
    void unpinMade() {
        for (Path path : made.reversed()) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                // Best effort on a failed load: the load's own failure is what the caller sees.
            }
        }
        made.clear();
    }

    private static Optional<BpfFd> openPinned(MapDefinition spec, Path path) {
        try {
            BpfFd fd = Bpf.objGet(path.toString(), 0, "map " + path); // no flags: read and write
            String kind = Bpf.objectKind(fd);
            if (!kind.equals("map")) {
                fd.close();
                throw new IllegalArgumentException(path + " is a pinned " + kind + ", not a map");
            }
            return Optional.of(fd);
        } catch (BpfException e) {
            if (e.errno() == Errno.ENOENT) {
                return Optional.empty();
            }
            throw new IllegalStateException("map '" + spec.name() + "': cannot open the map pinned at " + path + ": "
                    + e.getMessage(), e);
        } catch (IllegalArgumentException notAMap) {
            throw new IllegalStateException("map '" + spec.name() + "': " + notAMap.getMessage()
                    + "; remove it or choose another pin root", notAMap);
        }
    }

    /** libbpf's {@code map_is_reuse_compat}, naming the first field that differs rather than just refusing. */
    private static void requireReusable(MapDefinition spec, int maxEntries, BpfFd pinned, Path path) {
        MapInfo info = BpfMaps.info(pinned);
        String mismatch = null;
        if (info.kernelType() != spec.type()) {
            mismatch = "type " + typeName(spec.type()) + ", but it is " + info.typeName();
        } else if (info.keySize() != spec.keySize()) {
            mismatch = "key size " + spec.keySize() + ", but it is " + info.keySize();
        } else if (info.valueSize() != spec.valueSize()) {
            mismatch = "value size " + spec.valueSize() + ", but it is " + info.valueSize();
        } else if (info.maxEntries() != maxEntries) {
            mismatch = "max entries " + maxEntries + ", but it has " + info.maxEntries();
        } else if (info.flags() != spec.flags()) {
            mismatch = "map flags 0x" + Integer.toHexString(spec.flags()) + ", but it has 0x" + Integer.toHexString(info.flags());
        } else if (info.mapExtra() != 0) {
            mismatch = "map_extra 0, but it has " + info.mapExtra();
        }
        if (mismatch != null) {
            pinned.close();
            throw new IllegalStateException("map '" + spec.name() + "' is pinned by name, and the map pinned at " + path
                    + " does not match its declaration: it declares " + mismatch + "; remove the stale pin (rm " + path
                    + ") or make the declarations agree");
        }
    }

    private static String typeName(int kernelType) {
        return MapType.fromKernel(kernelType).map(Enum::name).orElse("type " + kernelType);
    }

    private void makeRoot() {
        if (!Files.isDirectory(root)) {
            try {
                Files.createDirectories(root);
            } catch (IOException e) {
                throw new IllegalStateException("cannot make the pin root " + root + ": " + e, e);
            }
        }
    }
}
