package dev.bpfglobals.cli;

import dev.bpfglobals.runtime.attach.AutoAttach;
import dev.bpfglobals.runtime.attach.Link;
import dev.bpfglobals.runtime.attach.SectionDefinition;
import dev.bpfglobals.runtime.attach.SectionDefinitions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where {@code attach} and {@code load --attach} pin links: {@code DIR/links/NAME}, beside
 * {@code DIR/progs/NAME}, the program it runs. The pin keeps the program attached after the tool
 * exits; removing it ({@code detach}, or {@code rm -r DIR}) detaches the program.
 */
final class LinkPins {

    private LinkPins() {
    }

    /**
     * Whether a program of {@code section} attaches from the section alone, as {@code load --attach}
     * (bpftool's {@code autoattach}) attaches it: a tracepoint, kprobe or uprobe section with its
     * target, or a TRACING one (fentry, tp_btf ...), whose target was fixed at load.
     */
    static boolean namesItsTarget(String section) {
        AutoAttach auto = SectionDefinitions.find(section).map(SectionDefinition::autoAttach).orElse(AutoAttach.MANUAL);
        String bare = section.startsWith("?") ? section.substring(1) : section;
        return auto != AutoAttach.MANUAL && (!auto.needsTarget() || bare.indexOf('/') > 0 && !bare.endsWith("/"));
    }

    /** {@code DIR/links}, for a program pinned at {@code DIR/progs/NAME} (or, elsewhere, beside its directory). */
    static Path linksFor(Path programPin) {
        Path parent = programPin.toAbsolutePath().normalize().getParent();
        Path dir = parent.getFileName() != null && parent.getFileName().toString().equals("progs") ? parent.getParent() : parent;
        return dir.resolve("links");
    }

    /** Makes {@code links} ({@code 0700}) if missing, refusing one that is not safe to pin into. */
    static void prepare(Path links) throws IOException {
        PinDirectories.requireSafe(links.getParent());
        if (!Files.exists(links)) {
            PinDirectories.create(links);
        }
    }

    /**
     * Pins {@code link} at {@code path} and closes this process's hold on it: the pin alone keeps it
     * attached now. Where it cannot be pinned, it is closed (detached) and the refusal thrown.
     */
    static void pinAndRelease(Link link, Path path) {
        try (link) {
            if (Files.exists(path)) {
                throw new IllegalArgumentException(path + " is already pinned; detach it first (bpf-globals detach "
                        + path + ") or remove it");
            }
            link.pin(path);
        }
    }
}
