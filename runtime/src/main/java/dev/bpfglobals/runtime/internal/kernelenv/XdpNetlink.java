package dev.bpfglobals.runtime.internal.kernelenv;

import dev.bpfglobals.runtime.internal.Bpf;
import dev.bpfglobals.runtime.kernel.BpfFd;
import dev.bpfglobals.runtime.kernel.Errno;
import dev.bpfglobals.runtime.kernel.NetlinkException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.OptionalInt;

/**
 * XDP over rtnetlink, as libbpf's {@code bpf_xdp_attach}, {@code bpf_xdp_detach} and
 * {@code bpf_xdp_query_id} do it: {@code RTM_SETLINK} with a nested {@code IFLA_XDP}, the way
 * before kernel 5.9's XDP links; and which program an interface runs, from {@code RTM_GETLINK}.
 */
public final class XdpNetlink {

    private static final int RTM_GETLINK = 18;
    private static final int RTM_SETLINK = 19;
    private static final int NLMSGHDR_SIZE = 16;
    private static final int IFINFOMSG_SIZE = 16;
    private static final int IFLA_XDP = 43;
    private static final int IFLA_XDP_FD = 1;
    private static final int IFLA_XDP_FLAGS = 3;
    private static final int IFLA_XDP_PROG_ID = 4;
    private static final int IFLA_XDP_DRV_PROG_ID = 5;
    private static final int IFLA_XDP_SKB_PROG_ID = 6;
    private static final int IFLA_XDP_HW_PROG_ID = 7;
    /** Refuses with EBUSY where a program is already attached in that mode, as a link attach does. */
    private static final int XDP_FLAGS_UPDATE_IF_NOEXIST = 1;

    private XdpNetlink() {
    }

    /** A program this process attached over netlink; {@link #detach()} removes it if it still runs there. */
    public record Attached(NetlinkSocket socket, int ifindex, int modeFlags, int programId, String what) {

        /**
         * Removes the program if the interface still runs it (it may have been replaced, or the
         * interface gone, since): then closes the socket.
         *
         * @throws IllegalStateException where the kernel refuses the removal for another reason
         */
        public void detach() {
            try {
                if (XdpNetlink.programId(socket, ifindex, what).orElse(0) != programId) {
                    return;
                }
                NetlinkSocket.Ack ack = socket.acknowledge(setXdp(ifindex, -1, modeFlags), what);
                if (!ack.ok() && ack.errno() != Errno.ENODEV) {
                    throw new IllegalStateException(what + ": RTM_SETLINK IFLA_XDP (detach) failed with " + ack.describe());
                }
            } catch (NetlinkException e) {
                if (e.errno() != Errno.ENODEV) {
                    throw e;
                }
            } finally {
                socket.close();
            }
        }
    }

    /**
     * Attaches {@code program} to interface {@code ifindex} with XDP mode bits {@code modeFlags},
     * refusing where a program already runs there in that mode.
     *
     * @throws NetlinkException naming the errno where the kernel refuses
     */
    public static Attached attach(BpfFd program, int programId, int ifindex, int modeFlags, String what) {
        NetlinkSocket socket = NetlinkSocket.openRoute();
        try {
            // The kernel resolves the program's descriptor while it handles the request, so it is held open until the ack.
            NetlinkSocket.Ack ack = Bpf.using(program, fd -> socket.acknowledge(
                    setXdp(ifindex, fd, modeFlags | XDP_FLAGS_UPDATE_IF_NOEXIST), what));
            if (!ack.ok()) {
                throw new NetlinkException(ack.errno(), what + ": RTM_SETLINK IFLA_XDP failed with " + ack.describe());
            }
            return new Attached(socket, ifindex, modeFlags, programId, what);
        } catch (RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * The id of the XDP program interface {@code ifindex} runs ({@code IFLA_XDP_PROG_ID}); where
     * programs run in several modes, the driver's, else the generic, else the offloaded one.
     *
     * @throws IllegalArgumentException where the dump has no such interface
     */
    public static OptionalInt programId(NetlinkSocket socket, int ifindex, String what) {
        for (byte[] reply : socket.dump(new NetlinkMessage(RTM_GETLINK, 0).ifinfomsg(0, 0, 0), what)) {
            if (reply.length < NLMSGHDR_SIZE + IFINFOMSG_SIZE
                    || ByteBuffer.wrap(reply).order(ByteOrder.nativeOrder()).getInt(NLMSGHDR_SIZE + 4) != ifindex) {
                continue;
            }
            byte[] xdp = NetlinkSocket.attributesOf(reply, IFINFOMSG_SIZE).get(IFLA_XDP);
            return xdp == null ? OptionalInt.empty() : programIdIn(NetlinkMessage.attributes(xdp, 0, xdp.length));
        }
        throw new IllegalArgumentException(what + ": no interface " + ifindex + " in the RTM_GETLINK dump");
    }

    private static NetlinkMessage setXdp(int ifindex, int programFd, int flags) {
        return new NetlinkMessage(RTM_SETLINK, 0).ifinfomsg(ifindex, 0, 0)
                .beginNested(IFLA_XDP)
                .u32(IFLA_XDP_FD, programFd)
                .u32(IFLA_XDP_FLAGS, flags)
                .endNested();
    }

    private static OptionalInt programIdIn(Map<Integer, byte[]> xdp) {
        for (int type : new int[] {IFLA_XDP_PROG_ID, IFLA_XDP_DRV_PROG_ID, IFLA_XDP_SKB_PROG_ID, IFLA_XDP_HW_PROG_ID}) {
            byte[] id = xdp.get(type);
            if (id != null && NetlinkMessage.u32(id) != 0) {
                return OptionalInt.of(NetlinkMessage.u32(id));
            }
        }
        return OptionalInt.empty();
    }
}
