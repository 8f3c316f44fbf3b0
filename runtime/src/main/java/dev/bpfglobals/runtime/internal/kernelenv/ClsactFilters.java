package dev.bpfglobals.runtime.internal.kernelenv;

import dev.bpfglobals.runtime.internal.Bpf;
import dev.bpfglobals.runtime.kernel.BpfFd;
import dev.bpfglobals.runtime.kernel.Errno;
import dev.bpfglobals.runtime.kernel.NetlinkException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Classic traffic-control attachment, for kernels without TCX (before 6.6), as libbpf's
 * {@code bpf_tc_hook_create} and {@code bpf_tc_attach} make it over rtnetlink: a {@code clsact}
 * qdisc on the interface (an existing one is used as it is), then a {@code bpf} filter in
 * direct-action mode on its ingress or egress hook, for every protocol ({@code ETH_P_ALL}), at a
 * chosen priority and handle. Detaching deletes that one filter and, as libbpf's
 * {@code bpf_tc_detach}, leaves the qdisc: another program may have been added to it since, and
 * an empty clsact qdisc costs nothing ({@code tc qdisc del dev IF clsact} removes it).
 */
public final class ClsactFilters {

    static final int RTM_NEWQDISC = 36;
    static final int RTM_NEWTFILTER = 44;
    static final int RTM_DELTFILTER = 45;
    static final int RTM_GETTFILTER = 46;
    /** {@code TC_H_CLSACT} (= {@code TC_H_INGRESS}), the clsact qdisc's parent; its handle is {@code TC_H_MAKE(TC_H_CLSACT, 0)}. */
    static final int TC_H_CLSACT = 0xFFFF_FFF1;
    static final int TC_H_MIN_INGRESS = 0xFFF2;
    static final int TC_H_MIN_EGRESS = 0xFFF3;
    static final int TCA_KIND = 1;
    static final int TCA_OPTIONS = 2;
    static final int TCA_BPF_FD = 6;
    static final int TCA_BPF_NAME = 7;
    static final int TCA_BPF_FLAGS = 8;
    static final int TCA_BPF_ID = 11;
    /** The program's return is the packet's verdict ({@code TC_ACT_*}), without a separate action. */
    static final int TCA_BPF_FLAG_ACT_DIRECT = 1;
    private static final int ETH_P_ALL = 0x0003;
    /** {@code sizeof(struct tcmsg)}. */
    private static final int TCMSG_SIZE = 20;

    private ClsactFilters() {
    }

    /** One filter on a clsact hook, as a dump reports it. */
    public record Filter(int priority, int handle, int protocol, String kind, String name, int programId, int bpfFlags) {
        /** Whether the filter runs its program in direct-action mode. */
        public boolean directAction() {
            return (bpfFlags & TCA_BPF_FLAG_ACT_DIRECT) != 0;
        }
    }

    /** A filter this process added; {@link #detach()} deletes exactly it. */
    public record Attached(NetlinkSocket socket, int ifindex, boolean ingress, int priority, int handle, int programId,
            String what) {

        /**
         * Deletes the filter if it is still there with this program (someone may have deleted it,
         * or the interface gone, since): then closes the socket.
         *
         * @throws IllegalStateException where the kernel refuses the deletion for another reason
         */
        public void detach() {
            try {
                boolean ours = list(socket, ifindex, ingress).stream()
                        .anyMatch(f -> f.priority() == priority && f.handle() == handle && f.programId() == programId);
                if (!ours) {
                    return;
                }
                NetlinkMessage delete = new NetlinkMessage(RTM_DELTFILTER, 0)
                        .tcmsg(ifindex, handle, parent(ingress), info(priority))
                        .string(TCA_KIND, "bpf");
                NetlinkSocket.Ack ack = socket.acknowledge(delete, what);
                Errno errno = ack.errno();
                if (!ack.ok() && errno != Errno.ENOENT && errno != Errno.ENODEV) {
                    throw new IllegalStateException(what + ": RTM_DELTFILTER failed with " + ack.describe());
                }
            } catch (NetlinkException e) {
                if (e.errno() != Errno.ENODEV && e.errno() != Errno.EINVAL) { // the interface or its qdisc is gone
                    throw e;
                }
            } finally {
                socket.close();
            }
        }
    }

    /**
     * Adds a direct-action {@code bpf} filter running {@code program} to the clsact hook of
     * interface {@code ifindex}, creating the qdisc where there is none.
     *
     * @throws NetlinkException naming the errno and the way out: {@code EPERM} without CAP_NET_ADMIN,
     *                          {@code EEXIST} where a filter is already at that priority and handle
     */
    public static Attached attach(BpfFd program, int programId, String programName, int ifindex, String interfaceName,
            boolean ingress, int priority, int handle, String what) {
        NetlinkSocket socket = NetlinkSocket.openRoute();
        try {
            NetlinkMessage qdisc = new NetlinkMessage(RTM_NEWQDISC, NetlinkSocket.NLM_F_EXCL | NetlinkSocket.NLM_F_CREATE)
                    .tcmsg(ifindex, TC_H_CLSACT & 0xFFFF_0000, TC_H_CLSACT, 0)
                    .string(TCA_KIND, "clsact");
            NetlinkSocket.Ack created = socket.acknowledge(qdisc, what);
            if (!created.ok() && created.errno() != Errno.EEXIST) { // an existing clsact qdisc is the hook, as for libbpf
                throw refusal(what, "RTM_NEWQDISC clsact", created, interfaceName, ingress, priority, handle);
            }
            // The kernel resolves the program's descriptor while it handles the request, so it is held open until the ack.
            NetlinkSocket.Ack added = Bpf.using(program, fd -> socket.acknowledge(new NetlinkMessage(RTM_NEWTFILTER,
                    NetlinkSocket.NLM_F_EXCL | NetlinkSocket.NLM_F_CREATE)
                    .tcmsg(ifindex, handle, parent(ingress), info(priority))
                    .string(TCA_KIND, "bpf")
                    .beginNested(TCA_OPTIONS)
                    .u32(TCA_BPF_FD, fd)
                    .string(TCA_BPF_NAME, programName + ":[" + programId + "]") // libbpf's name, as tc shows it
                    .u32(TCA_BPF_FLAGS, TCA_BPF_FLAG_ACT_DIRECT)
                    .endNested(), what));
            if (!added.ok()) {
                throw refusal(what, "RTM_NEWTFILTER bpf", added, interfaceName, ingress, priority, handle);
            }
            return new Attached(socket, ifindex, ingress, priority, handle, programId, what);
        } catch (RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** The filters on the ingress or egress hook of interface {@code ifindex} (none where it has no clsact qdisc). */
    public static List<Filter> list(NetlinkSocket socket, int ifindex, boolean ingress) {
        String what = "filters of interface " + ifindex + (ingress ? " ingress" : " egress");
        List<byte[]> replies;
        try {
            replies = socket.dump(new NetlinkMessage(RTM_GETTFILTER, 0).tcmsg(ifindex, 0, parent(ingress), 0), what);
        } catch (NetlinkException e) {
            if (e.errno() == Errno.EINVAL || e.errno() == Errno.ENOENT) { // no clsact qdisc, so no such hook
                return List.of();
            }
            throw e;
        }
        List<Filter> filters = new ArrayList<>();
        for (byte[] reply : replies) {
            ByteBuffer in = ByteBuffer.wrap(reply).order(ByteOrder.nativeOrder());
            if (reply.length < NetlinkMessage.HEADER_SIZE + TCMSG_SIZE) {
                throw new IllegalStateException(what + ": a filter message of " + reply.length + " bytes, too short for its tcmsg");
            }
            int handle = in.getInt(NetlinkMessage.HEADER_SIZE + 8);
            int info = in.getInt(NetlinkMessage.HEADER_SIZE + 16);
            if (handle == 0) {
                continue; // the priority's classifier instance itself, which the dump lists before its filters
            }
            Map<Integer, byte[]> attributes = NetlinkSocket.attributesOf(reply, TCMSG_SIZE);
            byte[] kind = attributes.get(TCA_KIND);
            byte[] options = attributes.get(TCA_OPTIONS);
            Map<Integer, byte[]> bpf = options == null ? Map.of() : NetlinkMessage.attributes(options, 0, options.length);
            filters.add(new Filter(info >>> 16, handle, networkShort(info & 0xFFFF), kind == null ? "" : NetlinkMessage.string(kind),
                    bpf.containsKey(TCA_BPF_NAME) ? NetlinkMessage.string(bpf.get(TCA_BPF_NAME)) : "",
                    bpf.containsKey(TCA_BPF_ID) ? NetlinkMessage.u32(bpf.get(TCA_BPF_ID)) : 0,
                    bpf.containsKey(TCA_BPF_FLAGS) ? NetlinkMessage.u32(bpf.get(TCA_BPF_FLAGS)) : 0));
        }
        return filters;
    }

    /** {@code TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS or _EGRESS)}. */
    static int parent(boolean ingress) {
        return (TC_H_CLSACT & 0xFFFF_0000) | (ingress ? TC_H_MIN_INGRESS : TC_H_MIN_EGRESS);
    }

    /** {@code tcm_info}: the priority above, the protocol ({@code ETH_P_ALL} in network byte order) below. */
    static int info(int priority) {
        return (priority << 16) | networkShort(ETH_P_ALL);
    }

    /** {@code htons}/{@code ntohs} of a 16-bit value. */
    private static int networkShort(int value) {
        return ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? Short.toUnsignedInt(Short.reverseBytes((short) value)) : value;
    }

    private static NetlinkException refusal(String what, String request, NetlinkSocket.Ack ack, String interfaceName,
            boolean ingress, int priority, int handle) {
        String hook = interfaceName + (ingress ? " ingress" : " egress");
        String wayOut = switch (ack.errno()) {
            case EPERM -> "this process lacks CAP_NET_ADMIN (in the interface's network namespace); run as root or grant it";
            case EEXIST -> "a filter is already at priority " + priority + " handle " + handle + " of " + hook
                    + "; choose another priority or handle, or delete it (tc filter del dev " + hook + " pref " + priority
                    + " handle " + handle + " bpf)";
            case ENODEV -> "the interface is gone";
            // The kernel knows no such qdisc or classifier: built as a module it could not load (no modprobe, no modules).
            case ENOENT -> request.startsWith("RTM_NEWQDISC")
                    ? "this kernel has no clsact qdisc: load its module (modprobe sch_ingress; CONFIG_NET_SCH_INGRESS)"
                    : "this kernel has no bpf classifier: load its module (modprobe cls_bpf; CONFIG_NET_CLS_BPF)";
            case EINVAL -> "the kernel refused the request (is the program SCHED_CLS, and does " + interfaceName
                    + " have a plain ingress qdisc in place of clsact?)";
            default -> "the kernel refused it";
        };
        return new NetlinkException(ack.errno(), what + ": " + request + " failed with " + ack.describe() + ": " + wayOut);
    }
}
