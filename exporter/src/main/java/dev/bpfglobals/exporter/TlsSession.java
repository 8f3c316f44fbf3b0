package dev.bpfglobals.exporter;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * One connection's TLS, driven by {@link MetricsServer}'s selector thread without blocking: what
 * the socket gives is decrypted into the request buffer, handshake messages the engine makes are
 * queued for the socket, and the response is encrypted a record at a time as the socket takes it.
 * The engine's delegated tasks (the handshake's signatures) run on the selector thread: a few
 * milliseconds each, and the server's connection limit bounds how many wait.
 *
 * <p>Something that is not TLS (a plain HTTP request to the TLS port) makes the engine throw: the
 * caller closes the connection.
 */
final class TlsSession {

    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);

    private final SSLEngine engine;
    /** Ciphertext read and not yet decrypted (filled from 0 to position). */
    private ByteBuffer in;
    /** Ciphertext to send (filled from 0 to position). */
    private ByteBuffer out;
    private boolean closeSent;

    TlsSession(SSLEngine engine) {
        this.engine = engine;
        int packet = engine.getSession().getPacketBufferSize();
        this.in = ByteBuffer.allocate(packet);
        this.out = ByteBuffer.allocate(packet);
    }

    /**
     * Reads what the socket has and decrypts it into {@code plain}, answering the handshake as it goes.
     *
     * @return how many plaintext bytes were added, or -1 when the client closed
     * @throws SSLException for bytes that are not TLS, or a handshake that failed
     */
    int read(SocketChannel channel, ByteBuffer plain) throws IOException {
        int count = channel.read(in);
        if (count < 0) {
            return -1;
        }
        int added = 0;
        in.flip();
        try {
            while (true) {
                HandshakeStatus status = engine.getHandshakeStatus();
                if (status == HandshakeStatus.NEED_TASK) {
                    for (Runnable task; (task = engine.getDelegatedTask()) != null; ) {
                        task.run();
                    }
                    continue;
                }
                if (status == HandshakeStatus.NEED_WRAP && !engine.isOutboundDone()) {
                    wrap(NOTHING);
                    continue;
                }
                if (!in.hasRemaining()) {
                    break;
                }
                SSLEngineResult result = engine.unwrap(in, plain);
                added += result.bytesProduced();
                if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                    return added > 0 ? added : -1;
                }
                if (result.getStatus() != SSLEngineResult.Status.OK) {
                    break; // UNDERFLOW: the rest of a record is still on its way; OVERFLOW: the request buffer is full
                }
            }
        } finally {
            in.compact();
        }
        return added;
    }

    /** Whether handshake bytes wait to be sent. */
    boolean hasOutput() {
        return out.position() > 0;
    }

    /**
     * Sends what waits; then, as the socket takes it, {@code plain} encrypted, then the TLS close.
     *
     * @return whether all of it has been sent
     */
    boolean write(SocketChannel channel, ByteBuffer plain) throws IOException {
        while (true) {
            if (!flush(channel)) {
                return false;
            }
            if (plain.hasRemaining()) {
                wrap(plain);
            } else if (!closeSent) {
                closeSent = true;
                engine.closeOutbound(); // close_notify: the client knows the response is whole
                wrap(NOTHING);
            } else {
                return true;
            }
        }
    }

    /** Writes the waiting ciphertext; whether all of it went. */
    boolean flush(SocketChannel channel) throws IOException {
        out.flip();
        try {
            channel.write(out);
            return !out.hasRemaining();
        } finally {
            out.compact();
        }
    }

    /** Encrypts one record of {@code plain} (or a handshake message) into the output, grown if a record does not fit. */
    private void wrap(ByteBuffer plain) throws SSLException {
        while (true) {
            SSLEngineResult result = engine.wrap(plain, out);
            if (result.getStatus() != SSLEngineResult.Status.BUFFER_OVERFLOW) {
                return;
            }
            ByteBuffer larger = ByteBuffer.allocate(out.capacity() + engine.getSession().getPacketBufferSize());
            out.flip();
            larger.put(out);
            out = larger;
        }
    }
}
