package dev.bpfglobals.cli;

import dev.bpfglobals.runtime.attach.Link;
import dev.bpfglobals.runtime.kernel.BpfException;
import dev.bpfglobals.runtime.kernel.Errno;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code detach LINK_PIN}: detaches the program of a pinned link ({@code BPF_LINK_DETACH}, for every
 * holder at once) and removes the pin. A link the kernel cannot detach that way (a perf event's:
 * tracepoints, kprobes, uprobes) goes once its pin is removed and no process holds it: the command
 * waits until the kernel has dropped the link's id (the pin goes after an RCU grace period), which
 * it frees a moment later in a work item; where another process still holds it, it says so.
 */
@Command(name = "detach", mixinStandardHelpOptions = true, versionProvider = Version.class, separator = " ",
        customSynopsis = "bpf-globals detach DIR/links/NAME",
        description = {"Detaches a pinned link's program and removes the pin.",
                "",
                "BPF_LINK_DETACH detaches xdp, tcx and cgroup links at once, whoever else holds them; a"
                + " tracepoint, kprobe or uprobe link is detached when its pin is gone and no process holds it. Needs"
                + " CAP_BPF."},
        footer = {"", "Example:", "  bpf-globals detach /sys/fs/bpf/ticks/links/tick_xdp"})
final class DetachCommand extends CliCommand {

    /** How long the kernel gets to drop an unpinned link: an RCU grace period is milliseconds. */
    private static final long RELEASE_WAIT_MILLIS = 5_000;

    @Parameters(paramLabel = "DIR/links/NAME", description = "The pinned link.")
    private Path pin;

    @Override
    public Integer call() throws IOException, InterruptedException {
        String what;
        int id;
        boolean detached;
        try (Link link = Link.openPinned(pin)) {
            id = link.info().id();
            what = link.info().typeName() + " link " + id;
            try {
                link.detach();
                detached = true;
            } catch (IllegalArgumentException notDetachable) {
                detached = false; // a perf_event link: its pin is the last hold this tool knows of
            }
        }
        Files.delete(pin);
        if (detached || released(id)) {
            out().println(Printable.message("detached " + what + "; removed " + pin));
        } else {
            out().println(Printable.message("removed " + pin + ", but another process still holds " + what
                    + ", which stays attached until that process closes it"));
        }
        return 0;
    }

    /** Whether the kernel dropped link {@code id} (no one can open it by id any more) within {@link #RELEASE_WAIT_MILLIS}. */
    private static boolean released(int id) throws InterruptedException {
        long deadline = System.nanoTime() + RELEASE_WAIT_MILLIS * 1_000_000;
        while (System.nanoTime() < deadline) {
            try (Link stillThere = Link.openById(id)) {
                Thread.sleep(5);
            } catch (BpfException e) {
                if (e.errno() == Errno.ENOENT) {
                    return true;
                }
                throw e;
            }
        }
        return false;
    }
}
