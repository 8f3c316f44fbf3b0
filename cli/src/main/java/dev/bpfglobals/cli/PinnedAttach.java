package dev.bpfglobals.cli;

import dev.bpfglobals.runtime.BpfProgram;
import dev.bpfglobals.runtime.attach.CgroupHook;
import dev.bpfglobals.runtime.attach.Link;
import dev.bpfglobals.runtime.attach.NetfilterFamily;
import dev.bpfglobals.runtime.attach.NetfilterHook;
import dev.bpfglobals.runtime.attach.ProgramType;
import dev.bpfglobals.runtime.attach.SectionAttach;
import dev.bpfglobals.runtime.attach.SectionDefinition;
import dev.bpfglobals.runtime.attach.SectionDefinitions;
import dev.bpfglobals.runtime.attach.TcxDirection;
import dev.bpfglobals.runtime.attach.XdpMode;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * How {@code attach} attaches a pinned program, which the kernel knows by type but not by section:
 * XDP to {@code --iface}, TRACING (fentry, tp_btf ...) to the target it was loaded for, and every
 * other kind where {@code TARGET}, the section it was built in ({@code tp/syscalls/sys_enter_getpid},
 * {@code tcx/ingress}, {@code cgroup_skb/egress}), says, on {@code --iface} or {@code --cgroup}
 * where that section names no target itself; sk_lookup programs to the network namespace
 * {@code --netns} names, netfilter programs at the hook {@code --netfilter FAMILY:HOOK:PRIORITY} names.
 * Cgroup programs ({@code cgroup_skb/}, {@code cgroup/connect4}, {@code sockops}, {@code lsm_cgroup/} ...)
 * attach to {@code --cgroup} at the hook their section's row names.
 *
 * @param iface   the interface, for XDP and tc programs; null otherwise
 * @param mode    the XDP mode
 * @param cgroup  the cgroup v2 directory, for cgroup programs; null otherwise
 * @param section the program's section, for the programs whose type does not say where they attach; null otherwise
 * @param netns   the network namespace file, for sk_lookup programs; null otherwise
 * @param netfilter {@code FAMILY:HOOK:PRIORITY}, e.g. {@code ipv4:local_in:-128}, for netfilter programs; null otherwise
 */
record PinnedAttach(String iface, XdpMode mode, Path cgroup, String section, Path netns, String netfilter) {

    /** Attaches {@code program}, described by {@code name} in messages. */
    Link attach(BpfProgram program, String name) {
        ProgramType type = typeOf(program);
        return switch (type) {
            case XDP -> program.attachXdp(require(iface, "--iface IF", name, type), mode);
            case TRACING -> program.attachTracing();
            case SK_LOOKUP -> program.attachSkLookup(require(netns, "--netns PATH", name, type));
            case NETFILTER -> {
                String[] point = require(netfilter, "--netfilter FAMILY:HOOK:PRIORITY", name, type).split(":", 3);
                yield program.attachNetfilter(netfilterPart(point, 0, NetfilterFamily.class), netfilterPart(point, 1, NetfilterHook.class),
                        netfilterPriority(point));
            }
            case SCHED_CLS -> {
                String direction = sectionTarget(name, type, "tcx/ingress or tcx/egress");
                TcxDirection tcx = switch (direction) {
                    case "ingress" -> TcxDirection.INGRESS;
                    case "egress" -> TcxDirection.EGRESS;
                    default -> throw new IllegalArgumentException(name + ": section " + Printable.name(section)
                            + " names no direction; give tcx/ingress or tcx/egress");
                };
                yield program.attachTc(require(iface, "--iface IF", name, type), tcx);
            }
            case CGROUP_SKB, CGROUP_SOCK, CGROUP_SOCK_ADDR, CGROUP_SYSCTL, CGROUP_SOCKOPT, CGROUP_DEVICE, SOCK_OPS -> {
                row(name, type, "cgroup_skb/ingress, cgroup/connect4 or sockops");
                // The hook is the section's row's expected attach type: cgroup/connect4 is INET4_CONNECT.
                CgroupHook hook = CgroupHook.ofSection(section).orElseThrow(() -> new IllegalArgumentException(name + ": section "
                        + Printable.name(section) + " names no cgroup hook; give e.g. cgroup_skb/ingress or cgroup_skb/egress"));
                yield program.attachCgroup(require(cgroup, "--cgroup PATH", name, type), hook);
            }
            case LSM -> {
                row(name, type, "lsm/file_open or lsm_cgroup/socket_bind");
                Optional<CgroupHook> perCgroup = CgroupHook.ofSection(section);
                yield perCgroup.isPresent() ? program.attachCgroup(require(cgroup, "--cgroup PATH", name, type), perCgroup.get())
                        : SectionAttach.attach(program.fd(), program.info().name(), section);
            }
            default -> {
                row(name, type, "the section it was built in, e.g. tp/syscalls/sys_enter_getpid");
                yield SectionAttach.attach(program.fd(), program.info().name(), section);
            }
        };
    }

    /** The program's type by the kernel's number; UNSPEC for one this library does not name. */
    static ProgramType typeOf(BpfProgram program) {
        int kernelType = program.info().kernelType();
        return Arrays.stream(ProgramType.values()).filter(t -> t.kernelValue() == kernelType).findFirst().orElse(ProgramType.UNSPEC);
    }

    /** The row of {@link #section}, which must be given and be of the program's type. */
    private SectionDefinition row(String name, ProgramType type, String example) {
        if (section == null) {
            throw new IllegalArgumentException(name + " is a " + type + " program, which the kernel does not say where to"
                    + " attach: give TARGET, " + example);
        }
        Optional<SectionDefinition> row = SectionDefinitions.find(section);
        if (row.isEmpty() || row.get().type() != type) {
            throw new IllegalArgumentException(name + " is a " + type + " program, but section " + Printable.name(section)
                    + " is " + row.map(r -> "one of " + r.type() + " programs").orElse("no section this tool knows")
                    + "; give the section it was built in, e.g. " + example);
        }
        return row.get();
    }

    /** What follows the kind in {@link #section} ({@code ingress} of {@code tcx/ingress}). */
    private String sectionTarget(String name, ProgramType type, String example) {
        row(name, type, example);
        int slash = section.indexOf('/');
        return slash < 0 ? "" : section.substring(slash + 1);
    }

    /** Part {@code index} of {@code --netfilter}'s {@code FAMILY:HOOK:PRIORITY}, one of {@code kind}'s constants by name. */
    private static <E extends Enum<E>> E netfilterPart(String[] point, int index, Class<E> kind) {
        E[] constants = kind.getEnumConstants();
        String given = point.length > index ? point[index] : "";
        return Arrays.stream(constants).filter(c -> c.name().equalsIgnoreCase(given)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("--netfilter " + String.join(":", point) + ": "
                        + (index == 0 ? "FAMILY" : "HOOK") + " '" + given + "' is none of " + Arrays.stream(constants)
                        .map(c -> c.name().toLowerCase(Locale.ROOT)).toList() + "; e.g. ipv4:local_in:-128"));
    }

    private static int netfilterPriority(String[] point) {
        try {
            return Integer.parseInt(point.length > 2 ? point[2] : "");
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--netfilter " + String.join(":", point) + ": PRIORITY is a whole number"
                    + " (lower runs first); e.g. ipv4:local_in:-128", e);
        }
    }

    private static <T> T require(T value, String option, String name, ProgramType type) {
        if (value == null) {
            throw new IllegalArgumentException(name + " is a " + type + " program: give " + option + " to attach it to");
        }
        return value;
    }
}
