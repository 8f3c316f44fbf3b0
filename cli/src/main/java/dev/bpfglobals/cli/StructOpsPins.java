package dev.bpfglobals.cli;

import dev.bpfglobals.contract.MapType;
import dev.bpfglobals.runtime.BpfMap;
import dev.bpfglobals.runtime.LoadedObject;
import dev.bpfglobals.runtime.attach.Link;
import dev.bpfglobals.runtime.kernel.MapInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How {@code load --attach} registers an object's struct_ops maps, as {@code bpftool struct_ops
 * register} does: a {@code .struct_ops.link} map through a BPF link pinned at {@code DIR/links/NAME}
 * (removing the pin unregisters it), a {@code .struct_ops} map by its value, which the kernel then
 * holds until it is unregistered ({@code bpftool struct_ops unregister name NAME}).
 */
final class StructOpsPins {

    /** {@code BPF_F_LINK}, the flag of a map from {@code .struct_ops.link}. */
    private static final int F_LINK = 1 << 13;

    private StructOpsPins() {
    }

    /**
     * Registers every struct_ops map of {@code loaded}: the link maps first, each link pinned under
     * {@code links} (each pin added to {@code made}, for the caller to remove on a later failure), then
     * those registered by value, which nothing after them can fail to leave half-done.
     *
     * @return the lines to print, one a map
     */
    static List<String> register(LoadedObject loaded, Path links, List<Path> made) throws IOException {
        List<String> lines = new ArrayList<>();
        List<String> byValue = new ArrayList<>();
        for (String name : loaded.mapNames()) {
            MapInfo info;
            try (BpfMap map = loaded.map(name)) {
                info = map.info();
            }
            if (info.kernelType() != MapType.STRUCT_OPS.kernelValue()) {
                continue;
            }
            if ((info.flags() & F_LINK) == 0) {
                byValue.add(name);
                continue;
            }
            if (!Files.exists(links)) {
                made.add(PinDirectories.create(links));
            }
            Path pin = links.resolve(name);
            LinkPins.pinAndRelease(loaded.attach(name), pin);
            made.add(pin);
            lines.add("registered struct_ops map " + name + "; link pinned at " + pin);
        }
        List<Link> registered = new ArrayList<>();
        try {
            for (String name : byValue) {
                // Never closed: closing would unregister it, and the kernel keeps it registered after this process.
                registered.add(loaded.attach(name));
                lines.add("registered struct_ops map " + name + " by its value; unregister it with "
                        + "bpftool struct_ops unregister name " + name);
            }
        } catch (RuntimeException e) {
            registered.forEach(Link::close);
            throw e;
        }
        return lines;
    }
}
