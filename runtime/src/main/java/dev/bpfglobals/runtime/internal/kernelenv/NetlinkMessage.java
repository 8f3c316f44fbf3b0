package dev.bpfglobals.runtime.internal.kernelenv;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * One netlink request being written: a {@code struct nlmsghdr}, the family's fixed header (for
 * rtnetlink's traffic control, a {@code struct tcmsg}), then {@code struct rtattr} attributes, each
 * padded to 4 bytes ({@code RTA_ALIGN}), nested ones with their length patched when they end. In
 * host byte order, as netlink is; the few big-endian fields are the caller's to swap.
 */
public final class NetlinkMessage {

    /** {@code NLMSG_HDRLEN}: the header, 16 bytes. */
    static final int HEADER_SIZE = 16;
    /** {@code NLA_F_NESTED}, set on nested attributes as libbpf and iproute2 set it. */
    private static final int NESTED = 0x8000;
    /** Far more than any request here needs (a filter with its name is under 200 bytes). */
    private static final int CAPACITY = 4096;

    private final ByteBuffer buffer = ByteBuffer.allocate(CAPACITY).order(ByteOrder.nativeOrder());
    private final Deque<Integer> openNests = new ArrayDeque<>();

    /** A request of {@code type} ({@code RTM_*}) with {@code flags} ({@code NLM_F_*}); the length and sequence come at send. */
    public NetlinkMessage(int type, int flags) {
        buffer.putInt(0).putShort((short) type).putShort((short) flags).putInt(0).putInt(0);
    }

    /** Appends {@code struct tcmsg}: family AF_UNSPEC, {@code ifindex}, {@code handle}, {@code parent}, {@code info}. */
    public NetlinkMessage tcmsg(int ifindex, int handle, int parent, int info) {
        buffer.put((byte) 0).put((byte) 0).putShort((short) 0).putInt(ifindex).putInt(handle).putInt(parent).putInt(info);
        return this;
    }

    /** Appends {@code struct ifinfomsg}: family AF_UNSPEC, {@code ifindex}, {@code flags} under {@code change}. */
    public NetlinkMessage ifinfomsg(int ifindex, int flags, int change) {
        buffer.put((byte) 0).put((byte) 0).putShort((short) 0).putInt(ifindex).putInt(flags).putInt(change);
        return this;
    }

    /** Appends attribute {@code type} holding a 32-bit value. */
    public NetlinkMessage u32(int type, int value) {
        header(type, 4);
        buffer.putInt(value);
        return this;
    }

    /** Appends attribute {@code type} holding {@code value} as a NUL-terminated string. */
    public NetlinkMessage string(int type, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        header(type, bytes.length + 1);
        buffer.put(bytes).put((byte) 0);
        pad();
        return this;
    }

    /** Opens nested attribute {@code type}; what follows until {@link #endNested} goes inside it. */
    public NetlinkMessage beginNested(int type) {
        openNests.push(buffer.position());
        header(type | NESTED, 0);
        return this;
    }

    /** Closes the innermost open nested attribute, setting its length to what it now holds. */
    public NetlinkMessage endNested() {
        int start = openNests.pop();
        buffer.putShort(start, (short) (buffer.position() - start));
        return this;
    }

    /** The message's bytes with sequence number {@code sequence} and its final length. */
    byte[] bytes(int sequence) {
        if (!openNests.isEmpty()) {
            throw new IllegalStateException("netlink message has " + openNests.size() + " nested attribute(s) left open");
        }
        buffer.putInt(0, buffer.position()).putInt(8, sequence);
        byte[] bytes = new byte[buffer.position()];
        buffer.get(0, bytes);
        return bytes;
    }

    private void header(int type, int payload) {
        buffer.putShort((short) (4 + payload)).putShort((short) type);
    }

    private void pad() {
        while ((buffer.position() & 3) != 0) {
            buffer.put((byte) 0);
        }
    }

    /** {@code NLMSG_ALIGN} / {@code RTA_ALIGN}: {@code length} rounded up to 4. */
    static int align(int length) {
        return (length + 3) & ~3;
    }

    /**
     * Reads the attributes in {@code bytes[offset, end)}, keyed by type without the nested and
     * byte-order flags; each value is its payload. Refuses an attribute that claims more bytes than
     * remain, rather than reading past the message.
     */
    public static Map<Integer, byte[]> attributes(byte[] bytes, int offset, int end) {
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
        Map<Integer, byte[]> found = new HashMap<>();
        int at = offset;
        while (at + 4 <= end) {
            int length = Short.toUnsignedInt(in.getShort(at));
            int type = Short.toUnsignedInt(in.getShort(at + 2)) & 0x3FFF;
            if (length < 4 || at + length > end) {
                throw new IllegalStateException("malformed netlink attribute " + type + " at byte " + at + ": length "
                        + length + " but " + (end - at) + " bytes remain");
            }
            byte[] payload = new byte[length - 4];
            in.get(at + 4, payload);
            found.put(type, payload);
            at += align(length);
        }
        return found;
    }

    /** The 32-bit value of an attribute's payload. */
    public static int u32(byte[] payload) {
        if (payload.length < 4) {
            throw new IllegalStateException("netlink attribute of " + payload.length + " bytes where a u32 was expected");
        }
        return ByteBuffer.wrap(payload).order(ByteOrder.nativeOrder()).getInt();
    }

    /** An attribute's payload read as a NUL-terminated string. */
    public static String string(byte[] payload) {
        int length = 0;
        while (length < payload.length && payload[length] != 0) {
            length++;
        }
        return new String(payload, 0, length, StandardCharsets.UTF_8);
    }
}
