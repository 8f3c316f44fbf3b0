package dev.bpfglobals.cli;

import dev.bpfglobals.runtime.BpfProgram;
import dev.bpfglobals.runtime.attach.Link;
import dev.bpfglobals.runtime.attach.XdpMode;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code attach PROG_PIN [--iface IF [--mode generic|driver]] [--cgroup PATH] [--netns PATH]
 * [--netfilter FAMILY:HOOK:PRIORITY] [TARGET]}: attaches a
 * program {@code load --pin} pinned ({@link PinnedAttach} says where) and pins the link at
 * {@code DIR/links/NAME} ({@link LinkPins}), so that it stays attached after the tool exits, as
 * {@code bpftool prog attach} with {@code bpftool link pin} does.
 */
@Command(name = "attach", mixinStandardHelpOptions = true, versionProvider = Version.class, separator = " ",
        customSynopsis = {"bpf-globals attach DIR/progs/NAME [--iface IF [--mode generic|driver]]",
                "                          [--cgroup PATH] [--netns PATH]",
                "                          [--netfilter FAMILY:HOOK:PRIORITY] [TARGET]"},
        description = {"Attaches a pinned program and pins its link at DIR/links/NAME.",
                "",
                "xdp programs attach to --iface; tc programs to --iface, in the direction TARGET (tcx/ingress,"
                + " tcx/egress) says; cgroup programs to --cgroup, at the hook TARGET (cgroup_skb/ingress,"
                + " cgroup/sock_create ...) says; sk_lookup programs to the network namespace --netns names"
                + " (/proc/PID/ns/net, /run/netns/NAME); netfilter programs at --netfilter (e.g. ipv4:local_in:-128)"
                + " in the tool's network namespace; fentry, fexit and tp_btf programs where they were loaded for;"
                + " every other program where TARGET, the section it was built in, says"
                + " (e.g. tp/syscalls/sys_enter_getpid or uprobe/BINARY:FUNCTION).",
                "The link outlives the tool; bpf-globals detach DIR/links/NAME (or rm) detaches it. Needs CAP_BPF"
                + " (and CAP_NET_ADMIN for interfaces)."},
        footer = {"", "Example:", "  bpf-globals attach /sys/fs/bpf/ticks/progs/tick_xdp --iface eth0"})
final class AttachCommand extends CliCommand {

    @Parameters(index = "0", paramLabel = "DIR/progs/NAME", description = "The pinned program.")
    private Path program;

    @Parameters(index = "1", arity = "0..1", paramLabel = "TARGET", description = "The program's section, where its type does not say.")
    private String target;

    @Option(names = "--iface", paramLabel = "IF", description = "The network interface (xdp, tc).")
    private String iface;

    @Option(names = "--mode", paramLabel = "MODE", description = "XDP hook: generic or driver (default: the driver's if it has one).")
    private String mode;

    @Option(names = "--cgroup", paramLabel = "PATH", description = "The cgroup v2 directory (cgroup programs).")
    private Path cgroup;

    @Option(names = "--netns", paramLabel = "PATH", description = "The network namespace file (sk_lookup programs).")
    private Path netns;

    @Option(names = "--netfilter", paramLabel = "FAMILY:HOOK:PRIORITY",
            description = "ipv4 or ipv6, a hook (pre_routing, local_in, forward, local_out, post_routing), a priority"
                    + " (netfilter programs).")
    private String netfilter;

    @Override
    public Integer call() throws IOException {
        XdpMode xdpMode = switch (mode == null ? "" : mode) {
            case "" -> XdpMode.KERNEL_CHOOSES;
            case "generic" -> XdpMode.GENERIC;
            case "driver" -> XdpMode.DRIVER;
            default -> throw usage("--mode " + mode + ": give generic or driver");
        };
        if (mode != null && iface == null) {
            throw usage("--mode is for XDP programs on an interface: give --iface IF too");
        }
        Path links = LinkPins.linksFor(program);
        Path pin = links.resolve(program.getFileName().toString());
        try (BpfProgram loaded = BpfProgram.openPinned(program)) {
            String name = "program " + Printable.name(loaded.info().name()) + " (" + PinnedAttach.typeOf(loaded)
                    + ", id " + loaded.info().id() + ")";
            LinkPins.prepare(links);
            Link link = new PinnedAttach(iface, xdpMode, cgroup, target, netns, netfilter).attach(loaded, name);
            String what = link.toString();
            LinkPins.pinAndRelease(link, pin);
            out().println(Printable.message("attached " + name + ": " + what + "; link pinned at " + pin));
        }
        return 0;
    }
}
