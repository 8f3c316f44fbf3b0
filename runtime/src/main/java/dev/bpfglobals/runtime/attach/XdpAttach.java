package dev.bpfglobals.runtime.attach;

import dev.bpfglobals.runtime.internal.Links;
import dev.bpfglobals.runtime.internal.kernelenv.NetlinkSocket;
import dev.bpfglobals.runtime.internal.kernelenv.XdpNetlink;
import dev.bpfglobals.runtime.kernel.BpfException;
import dev.bpfglobals.runtime.kernel.BpfFd;
import dev.bpfglobals.runtime.kernel.Errno;
import dev.bpfglobals.runtime.kernel.NetlinkException;
import dev.bpfglobals.runtime.kernel.ProgramInfo;
import java.util.OptionalInt;

/**
 * Attaches XDP programs ({@code xdp}, {@code xdp.frags}) to a network interface with an XDP link
 * ({@code BPF_LINK_CREATE} with {@code BPF_XDP}, kernel 5.9+), else over rtnetlink as libbpf's
 * {@code bpf_xdp_attach} does, and reads over rtnetlink which program an interface runs, as
 * {@code ip link show} does.
 */
public final class XdpAttach {

    /** {@code BPF_XDP} of {@code enum bpf_attach_type}. */
    private static final int BPF_XDP = 37;
    private static final int XDP_PROGRAM_TYPE = ProgramType.XDP.kernelValue();
    /** How the name of a link made over netlink ends. */
    private static final String NETLINK = " (netlink)";

    private XdpAttach() {
    }

    /**
     * Attaches {@code program} to interface {@code interfaceName} in {@code mode} with an XDP link,
     * which detaches it when closed; on a kernel without XDP links (before 5.9), over rtnetlink
     * ({@code RTM_SETLINK} with {@code IFLA_XDP}) instead.
     *
     * @param program the XDP program's descriptor, which stays the caller's
     * @param info what the kernel says about the program (its type and name)
     * @param interfaceName the network interface, e.g. {@code eth0}
     * @param mode which of the interface's XDP hooks
     * @return the attachment, which detaches when closed
     * @throws IllegalArgumentException where there is no such interface, the program is not XDP, an
     *         XDP program is already attached in that mode, or the interface has no such hook
     */
    public static Link attach(BpfFd program, ProgramInfo info, String interfaceName, XdpMode mode) {
        int ifindex = TcAttach.interfaceIndex(interfaceName);
        if (info.kernelType() != XDP_PROGRAM_TYPE) {
            throw new IllegalArgumentException("program '" + info.name() + "' has kernel program type " + info.kernelType()
                    + ", not XDP (" + XDP_PROGRAM_TYPE + "): only xdp programs attach to " + interfaceName);
        }
        String what = "XDP " + mode + " of " + interfaceName;
        try {
            return Link.of(what, Links.createOnInterface(program, ifindex, BPF_XDP, mode.flags(), what));
        } catch (BpfException e) {
            if (e.errno() == Errno.EINVAL && !kernelHasXdpLinks()) {
                return attachThroughNetlink(program, info, ifindex, interfaceName, mode);
            }
            throw refusal(e, e.errno(), "BPF_LINK_CREATE", interfaceName, mode, what);
        }
    }

    /**
     * What {@link #attach} does on a kernel without XDP links (before 5.9), as libbpf's
     * {@code bpf_xdp_attach}: {@code RTM_SETLINK} with {@code IFLA_XDP}. Closing the link removes
     * the program if the interface still runs it; the link remembers its network namespace.
     */
    static Link attachThroughNetlink(BpfFd program, ProgramInfo info, int ifindex, String interfaceName, XdpMode mode) {
        String what = "XDP " + mode + " of " + interfaceName + NETLINK;
        try {
            XdpNetlink.Attached attached = XdpNetlink.attach(program, info.id(), ifindex, mode.flags(), what);
            return Link.of(what, attached::detach);
        } catch (NetlinkException e) {
            throw refusal(e, e.errno(), "RTM_SETLINK IFLA_XDP", interfaceName, mode, what);
        }
    }

    /**
     * Makes {@code xdpLink} run {@code replacement} in place of {@code expected}, with no moment
     * where the interface runs neither ({@code BPF_LINK_UPDATE} with {@code BPF_F_REPLACE}): the
     * kernel refuses where the link runs another program than {@code expected}, so two callers
     * replacing at once cannot overwrite each other's choice unseen.
     *
     * @param xdpLink a link {@link #attach} made, still open
     * @param replacement the XDP program's descriptor to run from now on, which stays the caller's
     * @param replacementInfo what the kernel says about {@code replacement} (its type and name)
     * @param expected the program the link should be running now, which stays the caller's
     * @throws IllegalArgumentException where {@code xdpLink} is no XDP link (or one made over netlink,
     *         before 5.9), {@code replacement} is not XDP, or the link runs another program than
     *         {@code expected} ({@code EPERM})
     */
    public static void replace(Link xdpLink, BpfFd replacement, ProgramInfo replacementInfo, BpfFd expected) {
        if (!xdpLink.what().startsWith("XDP ")) {
            throw new IllegalArgumentException(xdpLink + " is not an XDP link: only links attachXdp made are replaced here");
        }
        if (xdpLink.what().endsWith(NETLINK)) {
            throw new IllegalArgumentException(xdpLink + " was attached over netlink (this kernel has no XDP links), "
                    + "which has no BPF_LINK_UPDATE: close it and attach the replacement");
        }
        if (replacementInfo.kernelType() != XDP_PROGRAM_TYPE) {
            throw new IllegalArgumentException("program '" + replacementInfo.name() + "' has kernel program type "
                    + replacementInfo.kernelType() + ", not XDP (" + XDP_PROGRAM_TYPE + "): it cannot replace the program of "
                    + xdpLink.what());
        }
        String what = "replacing the program of " + xdpLink.what() + " with '" + replacementInfo.name() + "'";
        try {
            Links.replace(xdpLink.firstFd(), replacement, expected, what);
        } catch (BpfException e) {
            if (e.errno() == Errno.EPERM) {
                throw new IllegalArgumentException(what + ": BPF_LINK_UPDATE failed with EPERM: the link no longer runs "
                        + "the expected program (its interface runs id " + describe(attachedProgramId(interfaceOf(xdpLink)))
                        + "); read which it runs again and pass that one", e);
            }
            throw e;
        }
    }

    /**
     * The id of the XDP program interface {@code interfaceName} runs, as rtnetlink reports it
     * ({@code IFLA_XDP_PROG_ID}, what {@code ip link show} prints as {@code prog/xdp id N}); where
     * programs run in several modes at once, the driver's, else the generic, else the offloaded one.
     *
     * @param interfaceName the network interface, e.g. {@code eth0}
     * @return the program's id, or empty where the interface runs no XDP program
     * @throws IllegalArgumentException where there is no such interface
     */
    public static OptionalInt attachedProgramId(String interfaceName) {
        int ifindex = TcAttach.interfaceIndex(interfaceName);
        try (NetlinkSocket socket = NetlinkSocket.openRoute()) {
            return XdpNetlink.programId(socket, ifindex, "XDP program of " + interfaceName);
        }
    }

    private static RuntimeException refusal(RuntimeException e, Errno errno, String request, String interfaceName,
            XdpMode mode, String what) {
        return switch (errno) {
            case EBUSY, EEXIST -> new IllegalArgumentException(what + ": " + request + " failed with " + errno
                    + ": an XDP program is already attached to " + interfaceName + " in mode " + mode + " (id "
                    + describe(attachedProgramId(interfaceName)) + "); close its link (or, for one attached by ip, run "
                    + "'ip link set dev " + interfaceName + " xdp off') before attaching another", e);
            case EOPNOTSUPP -> new IllegalArgumentException(what + ": " + request + " failed with EOPNOTSUPP: "
                    + interfaceName + "'s driver has no native XDP hook for mode " + mode + "; attach in XdpMode.GENERIC, "
                    + "which every interface has", e);
            default -> e;
        };
    }

    /** The interface of a link {@link #attach} named {@code XDP MODE of IF} (an interface name has no spaces). */
    private static String interfaceOf(Link xdpLink) {
        return xdpLink.what().substring(xdpLink.what().lastIndexOf(' ') + 1);
    }

    private static String describe(OptionalInt id) {
        return id.isPresent() ? String.valueOf(id.getAsInt()) : "unknown";
    }

    /** Whether the running kernel is 5.9 or later, the first with XDP links. */
    private static boolean kernelHasXdpLinks() {
        String[] parts = System.getProperty("os.version").split("[.-]");
        try {
            int major = Integer.parseInt(parts[0]);
            int minor = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            return major > 5 || (major == 5 && minor >= 9);
        } catch (NumberFormatException unreadable) {
            return true; // cannot tell: report the kernel's EINVAL as it is
        }
    }
}
