package dev.bpfglobals.exporter;

import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/** One client's connection to {@link MetricsServer}: what it has sent, what it is sent back, and by when. */
final class ClientConnection {
    final SocketChannel channel;
    final ByteBuffer head = ByteBuffer.allocate(MetricsServer.MAX_HEAD);
    long deadline;
    SelectionKey key;
    ByteBuffer response;
    /** The TLS of an HTTPS connection, or null. */
    final TlsSession tls;
    /** Whether the request head is complete: what is written from now on is the response. */
    boolean answering;
    /** Answered and half-closed: what is read now is dropped until the client closes. */
    boolean draining;

    ClientConnection(SocketChannel channel, long deadline, TlsSession tls) {
        this.channel = channel;
        this.deadline = deadline;
        this.tls = tls;
    }
}
