package dev.bpfglobals.runtime.internal.kernelenv;

import dev.bpfglobals.runtime.internal.Bpf;
import dev.bpfglobals.runtime.kernel.BpfFd;
import dev.bpfglobals.runtime.kernel.Errno;
import dev.bpfglobals.runtime.kernel.NetlinkException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An rtnetlink socket ({@code socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE)}) that
 * sends one request at a time and reads its answer: an acknowledgement (an {@code NLMSG_ERROR}
 * whose error is 0 or {@code -errno}) or a dump (messages until {@code NLMSG_DONE}). It belongs to
 * the network namespace of the thread that opened it, so requests made through it later reach that
 * namespace whichever thread makes them. Bounded: every read times out after {@link #TIMEOUT_SECONDS},
 * a datagram larger than the buffer, a truncated message or a reply to another sequence number is
 * an error, never a hang or a silent misread.
 */
public final class NetlinkSocket implements AutoCloseable {

    static final int NLMSG_ERROR = 2;
    static final int NLMSG_DONE = 3;
    public static final int NLM_F_REQUEST = 0x1;
    static final int NLM_F_MULTI = 0x2;
    public static final int NLM_F_ACK = 0x4;
    public static final int NLM_F_EXCL = 0x200;
    public static final int NLM_F_CREATE = 0x400;
    public static final int NLM_F_DUMP = 0x300;
    /** In an error message: the request was not echoed whole (NETLINK_CAP_ACK) / TLVs follow (NETLINK_EXT_ACK). */
    private static final int NLM_F_CAPPED = 0x100;
    private static final int NLM_F_ACK_TLVS = 0x200;
    private static final int NLMSGERR_ATTR_MSG = 1;

    private static final int AF_NETLINK = 16;
    private static final int SOCK_RAW_CLOEXEC = 3 | 0x80000;
    private static final int NETLINK_ROUTE = 0;
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVTIMEO = 20;
    private static final int SOL_NETLINK = 270;
    private static final int NETLINK_CAP_ACK = 10;
    private static final int NETLINK_EXT_ACK = 11;
    private static final int MSG_TRUNC = 0x20;

    /** How long a read waits for the kernel: rtnetlink answers at once, so this only bounds a bug. */
    static final int TIMEOUT_SECONDS = 5;
    /** Above the 32 KiB the kernel fills a dump datagram with at most. */
    private static final int RECEIVE_BUFFER = 64 * 1024;
    /** A dump of one interface's filters is a few messages; this many means something loops. */
    private static final int MAX_DUMP_MESSAGES = 4096;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle SOCKET = downcall("socket",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle SETSOCKOPT = downcall("setsockopt", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle SENDTO = downcall("sendto", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
            ValueLayout.JAVA_INT));
    private static final MethodHandle RECV = downcall("recv", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));

    private final BpfFd fd;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment receive = arena.allocate(RECEIVE_BUFFER, 8);
    private int sequence = (int) (System.nanoTime() & 0x3FFF_FFFF);

    private NetlinkSocket(BpfFd fd) {
        this.fd = fd;
    }

    /** Opens an rtnetlink socket in the calling thread's network namespace, with a receive timeout and extended acks. */
    public static NetlinkSocket openRoute() {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment errno = call.allocate(CAPTURE);
            int socket = (int) SOCKET.invokeExact(errno, AF_NETLINK, SOCK_RAW_CLOEXEC, NETLINK_ROUTE);
            if (socket < 0) {
                throw new IllegalStateException("socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE) failed with " + errnoOf(errno));
            }
            NetlinkSocket opened = new NetlinkSocket(BpfFd.adopt(socket, "rtnetlink socket"));
            try {
                MemorySegment timeout = call.allocate(16, 8); // struct timeval
                timeout.set(ValueLayout.JAVA_LONG, 0, TIMEOUT_SECONDS);
                opened.setOption(call, SOL_SOCKET, SO_RCVTIMEO, timeout);
                // Replies to errors then carry the kernel's reason as text and not the whole request back.
                opened.setOption(call, SOL_NETLINK, NETLINK_EXT_ACK, call.allocateFrom(ValueLayout.JAVA_INT, 1));
                opened.setOption(call, SOL_NETLINK, NETLINK_CAP_ACK, call.allocateFrom(ValueLayout.JAVA_INT, 1));
            } catch (RuntimeException e) {
                opened.close();
                throw e;
            }
            return opened;
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("FFM call of socket(AF_NETLINK) failed", t);
        }
    }

    /** What the kernel answered a request: 0 or an errno, and its extended-ack text ("" when it sent none). */
    public record Ack(int errnoNumber, String kernelMessage) {
        /** Whether the kernel did what was asked. */
        public boolean ok() {
            return errnoNumber == 0;
        }

        /** The errno by name. */
        public Errno errno() {
            return Errno.of(errnoNumber);
        }

        /** The errno's name (its number where unnamed) and the kernel's text: for messages. */
        public String describe() {
            String name = errno() == Errno.UNKNOWN ? "errno " + errnoNumber : errno().name();
            return kernelMessage.isEmpty() ? name : name + " (kernel: " + kernelMessage + ")";
        }
    }

    /** Sends {@code request} with {@code NLM_F_REQUEST | NLM_F_ACK} added and returns the kernel's acknowledgement. */
    public synchronized Ack acknowledge(NetlinkMessage request, String context) {
        int sent = send(request, NLM_F_REQUEST | NLM_F_ACK, context);
        for (int reads = 0; ; reads++) {
            // An ack is one datagram; an NLM_F_ECHO request would get its echo first, never used here.
            List<byte[]> messages = receiveDatagram(sent, context);
            for (byte[] message : messages) {
                if (type(message) == NLMSG_ERROR) {
                    return ackOf(message, context);
                }
            }
            if (reads > 8) {
                throw new IllegalStateException(context + ": the kernel sent no acknowledgement after " + reads + " replies");
            }
        }
    }

    /**
     * Sends {@code request} as a dump ({@code NLM_F_REQUEST | NLM_F_DUMP}) and returns each reply
     * message whole (header included), up to the {@code NLMSG_DONE} that ends it.
     *
     * @throws NetlinkException when the kernel refuses the dump
     */
    public synchronized List<byte[]> dump(NetlinkMessage request, String context) {
        int sent = send(request, NLM_F_REQUEST | NLM_F_DUMP, context);
        List<byte[]> replies = new ArrayList<>();
        while (replies.size() < MAX_DUMP_MESSAGES) {
            for (byte[] message : receiveDatagram(sent, context)) {
                switch (type(message)) {
                    case NLMSG_DONE -> {
                        return replies;
                    }
                    case NLMSG_ERROR -> {
                        Ack ack = ackOf(message, context);
                        throw new NetlinkException(ack.errno(), context + ": the kernel refused the dump with " + ack.describe());
                    }
                    default -> replies.add(message);
                }
            }
        }
        throw new IllegalStateException(context + ": a dump of more than " + MAX_DUMP_MESSAGES + " messages; giving up");
    }

    private int send(NetlinkMessage request, int addFlags, String context) {
        int sequenceNumber = ++sequence;
        byte[] bytes = request.bytes(sequenceNumber);
        ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder()).putShort(6, (short) (flags(bytes) | addFlags));
        try (Arena call = Arena.ofConfined()) {
            MemorySegment errno = call.allocate(CAPTURE);
            MemorySegment message = call.allocateFrom(ValueLayout.JAVA_BYTE, bytes);
            MemorySegment kernel = call.allocate(12, 4); // struct sockaddr_nl: AF_NETLINK, pid 0 (the kernel), no groups
            kernel.set(ValueLayout.JAVA_SHORT, 0, (short) AF_NETLINK);
            long result = Bpf.using(fd, socket -> {
                try {
                    return (long) SENDTO.invokeExact(errno, socket, message, (long) bytes.length, 0, kernel, 12);
                } catch (Throwable t) {
                    throw new IllegalStateException("FFM call of sendto failed", t);
                }
            });
            if (result != bytes.length) {
                throw new IllegalStateException(context + ": sendto on the rtnetlink socket "
                        + (result < 0 ? "failed with " + errnoOf(errno) : "sent " + result + " of " + bytes.length + " bytes"));
            }
        }
        return sequenceNumber;
    }

    /** Reads one datagram and splits it into its messages, each checked for length and sequence. */
    private List<byte[]> receiveDatagram(int expectedSequence, String context) {
        long length;
        try (Arena call = Arena.ofConfined()) {
            MemorySegment errno = call.allocate(CAPTURE);
            length = Bpf.using(fd, socket -> {
                try {
                    return (long) RECV.invokeExact(errno, socket, receive, (long) RECEIVE_BUFFER, MSG_TRUNC);
                } catch (Throwable t) {
                    throw new IllegalStateException("FFM call of recv failed", t);
                }
            });
            if (length < 0) {
                Errno why = Errno.of((int) ERRNO.get(errno, 0L));
                throw new IllegalStateException(context + (why == Errno.EAGAIN
                        ? ": the kernel did not answer within " + TIMEOUT_SECONDS + " s"
                        : ": recv on the rtnetlink socket failed with " + why));
            }
        }
        if (length > RECEIVE_BUFFER) {
            throw new IllegalStateException(context + ": a netlink reply of " + length + " bytes, more than the "
                    + RECEIVE_BUFFER + "-byte buffer; it was truncated");
        }
        byte[] datagram = receive.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE);
        ByteBuffer in = ByteBuffer.wrap(datagram).order(ByteOrder.nativeOrder());
        List<byte[]> messages = new ArrayList<>();
        int at = 0;
        while (at + NetlinkMessage.HEADER_SIZE <= datagram.length) {
            int messageLength = in.getInt(at);
            if (messageLength < NetlinkMessage.HEADER_SIZE || at + messageLength > datagram.length) {
                throw new IllegalStateException(context + ": truncated netlink message at byte " + at + ": it claims "
                        + messageLength + " bytes, " + (datagram.length - at) + " arrived");
            }
            int replySequence = in.getInt(at + 8);
            if (replySequence != expectedSequence) {
                throw new IllegalStateException(context + ": a netlink reply to sequence number " + replySequence
                        + " where " + expectedSequence + " was expected");
            }
            byte[] message = new byte[messageLength];
            in.get(at, message);
            messages.add(message);
            at += NetlinkMessage.align(messageLength);
        }
        if (at < datagram.length) {
            throw new IllegalStateException(context + ": " + (datagram.length - at) + " stray bytes after the netlink messages");
        }
        return messages;
    }

    /** {@code struct nlmsgerr}: the error, the (capped) request, then extended-ack attributes when flagged. */
    private static Ack ackOf(byte[] message, String context) {
        ByteBuffer in = ByteBuffer.wrap(message).order(ByteOrder.nativeOrder());
        int errorEnd = NetlinkMessage.HEADER_SIZE + 4;
        if (message.length < errorEnd) {
            throw new IllegalStateException(context + ": an NLMSG_ERROR of " + message.length + " bytes, too short for its error");
        }
        int error = in.getInt(NetlinkMessage.HEADER_SIZE);
        String text = "";
        int flags = flags(message);
        if ((flags & NLM_F_ACK_TLVS) != 0) {
            int requestLength = (flags & NLM_F_CAPPED) != 0 ? NetlinkMessage.HEADER_SIZE
                    : in.getInt(errorEnd); // the echoed request's own nlmsg_len
            int tlvs = errorEnd + NetlinkMessage.align(requestLength);
            if (tlvs <= message.length) {
                byte[] reason = NetlinkMessage.attributes(message, tlvs, message.length).get(NLMSGERR_ATTR_MSG);
                text = reason == null ? "" : NetlinkMessage.string(reason);
            }
        }
        return new Ack(-error, text);
    }

    private static int type(byte[] message) {
        return Short.toUnsignedInt(ByteBuffer.wrap(message).order(ByteOrder.nativeOrder()).getShort(4));
    }

    private static int flags(byte[] message) {
        return Short.toUnsignedInt(ByteBuffer.wrap(message).order(ByteOrder.nativeOrder()).getShort(6));
    }

    /** Reads the attributes after a message's header and a fixed family header of {@code familyHeaderSize} bytes. */
    public static Map<Integer, byte[]> attributesOf(byte[] message, int familyHeaderSize) {
        return NetlinkMessage.attributes(message, NetlinkMessage.HEADER_SIZE + NetlinkMessage.align(familyHeaderSize),
                message.length);
    }

    private void setOption(Arena call, int level, int name, MemorySegment value) {
        MemorySegment errno = call.allocate(CAPTURE);
        int socket = fd.value();
        int result;
        try {
            result = (int) SETSOCKOPT.invokeExact(errno, socket, level, name, value, (int) value.byteSize());
        } catch (Throwable t) {
            throw new IllegalStateException("FFM call of setsockopt failed", t);
        }
        if (result < 0) {
            throw new IllegalStateException("setsockopt(" + level + ", " + name + ") on an rtnetlink socket failed with "
                    + errnoOf(errno));
        }
    }

    private static Errno errnoOf(MemorySegment captured) {
        return Errno.of((int) ERRNO.get(captured, 0L));
    }

    private static MethodHandle downcall(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), descriptor,
                Linker.Option.captureCallState("errno"));
    }

    /** Closes the socket; later calls do nothing. */
    @Override
    public synchronized void close() {
        fd.close();
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }
}
