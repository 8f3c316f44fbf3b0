package dev.bpfglobals.exporter;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small HTTP/1.1 server for {@code /metrics}, made to run as root on a host where anyone may
 * connect to its port.
 *
 * <p>Why not client_java's {@code HTTPServer} (or the JDK's {@code com.sun.net.httpserver}, on
 * which it is built): there a pool thread reads each request's headers, blocking and with no
 * deadline, so a few clients that send one byte a second hold every thread and every scrape waits
 * until they leave; the JDK's only deadlines are process-wide system properties read once. Here one
 * selector thread reads every connection without blocking and closes those that miss their
 * deadline ({@link Builder#headerTimeout} for the whole request head, {@link Builder#writeTimeout}
 * for the whole response), and only complete requests reach the worker threads, which never touch
 * a socket: a slow client costs a buffer, not a thread. Each connection carries one request, then
 * closes ({@code Connection: close}), so no connection idles between scrapes.
 *
 * <p>Only {@code GET} and {@code HEAD} are answered (else 405 with {@code Allow}), only on
 * {@code /metrics} and {@code /} (else 404); a request head over 8 KiB gets 431. With a
 * {@link WebConfig}, connections are TLS ({@link TlsSession}, driven by the same selector thread, the
 * handshake within the header deadline) and requests without a configured user's password get 401.
 */
public final class MetricsServer implements AutoCloseable {

    /** Largest request head read; Prometheus's are a few hundred bytes. */
    static final int MAX_HEAD = 8192;

    /** How long a connection answered is read from, to its end, before it is closed anyway. */
    private static final long DRAIN_NANOS = Duration.ofSeconds(2).toNanos();

    private final ServerSocketChannel listener;
    private final Selector selector;
    private final ExecutorService workers;
    /** The pages, behind basic auth when users are configured. */
    private final PagesGate gate;
    private final long headerNanos;
    private final long writeNanos;
    private final int maxConnections;
    /** TLS settings, or null for plain HTTP. */
    private final TlsServerConfig tls;
    /** Responses made by workers, for the selector thread to write. */
    private final Queue<ClientConnection> answered = new ConcurrentLinkedQueue<>();
    private final AtomicInteger open = new AtomicInteger();
    private final Thread loop;
    private volatile boolean closing;

    private MetricsServer(Builder builder) throws IOException {
        this.headerNanos = builder.headerTimeout.toNanos();
        this.writeNanos = builder.writeTimeout.toNanos();
        this.maxConnections = builder.maxConnections;
        this.tls = builder.webConfig.tls().orElse(null);
        this.gate = new PagesGate(builder.pages, builder.webConfig.users().orElse(null));
        this.selector = Selector.open();
        this.listener = ServerSocketChannel.open();
        try {
            listener.bind(new InetSocketAddress(builder.host, builder.port), 128);
            listener.configureBlocking(false);
            listener.register(selector, SelectionKey.OP_ACCEPT);
        } catch (IOException e) {
            listener.close();
            selector.close();
            throw new IOException("cannot listen on " + builder.host + ":" + builder.port + ": " + e.getMessage(), e);
        }
        if (builder.drop != null) {
            // Bound (a port below 1024 needs root), not yet serving: drop now, so that the threads started
            // below inherit the drop's per-thread parts (no_new_privs, the empty bounding set) too.
            try {
                gate.preload();
                if (tls != null) {
                    new TlsSession(tls.newEngine()); // loads TlsSession; the engine's classes are the JDK's, always readable
                }
                builder.drop.apply();
            } catch (RuntimeException e) {
                listener.close();
                selector.close();
                throw e;
            }
        }
        // The queue is unbounded but never longer than maxConnections: a connection has at most one request in it.
        AtomicInteger made = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(builder.workers, task -> {
            Thread thread = new Thread(task, "bpf-globals-metrics-" + made.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.loop = new Thread(this::run, "bpf-globals-metrics-selector");
        loop.setDaemon(true);
        loop.start();
    }

    /** A server answering with {@code pages}; set where it listens, then {@link Builder#start()}. */
    public static Builder builder(MetricsPages pages) {
        return new Builder(pages);
    }

    /** The port listened on (the one chosen, for port 0). */
    public int port() {
        return listener.socket().getLocalPort();
    }

    /** Connections open now, for tests and diagnostics. */
    int openConnections() {
        return open.get();
    }

    /** Stops listening, closes every connection, and stops the threads. */
    @Override
    public void close() {
        closing = true;
        selector.wakeup();
        try {
            loop.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workers.shutdownNow();
    }

    private void run() {
        try {
            while (!closing) {
                selector.select(250);
                for (ClientConnection answer; (answer = answered.poll()) != null; ) {
                    if (answer.key.isValid()) {
                        answer.deadline = System.nanoTime() + writeNanos;
                        answer.key.interestOps(SelectionKey.OP_WRITE);
                    }
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    try {
                        if (!key.isValid()) {
                            continue;
                        }
                        if (key.isAcceptable()) {
                            accept();
                        } else if (key.isReadable()) {
                            read((ClientConnection) key.attachment());
                        } else if (key.isWritable()) {
                            write((ClientConnection) key.attachment());
                        }
                    } catch (IOException | RuntimeException e) {
                        // One connection's trouble (a reset, a key cancelled meanwhile, no fd left to accept
                        // with) must not stop the server: drop that connection, serve the others.
                        if (key.attachment() instanceof ClientConnection connection) {
                            drop(connection);
                        }
                    }
                }
                selector.selectedKeys().clear();
                long now = System.nanoTime();
                for (SelectionKey key : selector.keys()) {
                    if (key.attachment() instanceof ClientConnection connection && now - connection.deadline > 0) {
                        drop(connection); // too slow: sending its request, or reading its answer
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // The selector itself failed: nothing more can be served; close() below releases the rest.
        } finally {
            for (SelectionKey key : selector.keys()) {
                closeQuietly(key.channel());
            }
            closeQuietly(selector);
            closeQuietly(listener);
        }
    }

    private void accept() throws IOException {
        SocketChannel channel;
        while ((channel = listener.accept()) != null) {
            if (open.get() >= maxConnections) {
                closeQuietly(channel); // full: a client that waits in the backlog would hold a slot all the same
                continue;
            }
            channel.configureBlocking(false);
            ClientConnection connection = new ClientConnection(channel, System.nanoTime() + headerNanos,
                    tls == null ? null : new TlsSession(tls.newEngine()));
            connection.key = channel.register(selector, SelectionKey.OP_READ, connection);
            open.incrementAndGet();
        }
    }

    private void read(ClientConnection connection) {
        int count;
        try {
            // Once answered, what comes (a body, TLS's close) is read raw, only to be dropped.
            count = connection.tls == null || connection.draining ? connection.channel.read(connection.head)
                    : connection.tls.read(connection.channel, connection.head);
        } catch (IOException e) {
            count = -1; // a reset, or bytes that are not TLS on the TLS port (a plain HTTP request): closed
        }
        if (count < 0) {
            drop(connection);
            return;
        }
        if (connection.draining) {
            connection.head.clear();
            return;
        }
        if (connection.tls != null && connection.tls.hasOutput()) {
            connection.key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE); // the handshake's answer
        }
        int end = HttpRequestHead.end(connection.head);
        if (end < 0 && connection.head.hasRemaining()) {
            return; // not all sent yet
        }
        connection.key.interestOps(0);
        connection.answering = true;
        if (end < 0) {
            respond(connection, HttpResponse.error(431, "Request Header Fields Too Large", "request head over " + MAX_HEAD + " bytes"));
            return;
        }
        HttpRequestHead request = HttpRequestHead.parse(connection.head, end);
        connection.deadline = System.nanoTime() + writeNanos; // making the answer counts towards sending it
        try {
            workers.execute(() -> respond(connection, gate.answer(request)));
        } catch (RejectedExecutionException e) {
            drop(connection); // closing
        }
    }

    /** Hands a response to the selector thread, from a worker or from that thread itself. */
    private void respond(ClientConnection connection, HttpResponse response) {
        connection.response = ByteBuffer.wrap(response.bytes());
        answered.add(connection);
        selector.wakeup();
    }

    private void write(ClientConnection connection) {
        try {
            if (!connection.answering) {
                if (connection.tls.flush(connection.channel)) {
                    connection.key.interestOps(SelectionKey.OP_READ); // the handshake's answer is sent: read on
                }
                return;
            }
            boolean sent;
            if (connection.tls == null) {
                connection.channel.write(connection.response);
                sent = !connection.response.hasRemaining();
            } else {
                sent = connection.tls.write(connection.channel, connection.response);
            }
            if (sent) {
                // Closing with unread input (say a POST's body) makes the kernel reset the connection, and a
                // client may then lose the response: send FIN, then read until the client closes too, or
                // briefly (the lingering close of RFC 9112 section 9.6; Linux on loopback keeps the response
                // readable even so, which is why no test here can tell the difference).
                connection.channel.shutdownOutput();
                connection.draining = true;
                connection.deadline = System.nanoTime() + DRAIN_NANOS;
                connection.head.clear();
                connection.key.interestOps(SelectionKey.OP_READ);
            }
        } catch (IOException e) {
            drop(connection);
        }
    }

    private void drop(ClientConnection connection) {
        if (connection.key.isValid()) {
            connection.key.cancel();
            open.decrementAndGet();
        }
        closeQuietly(connection.channel);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // Already gone, or the peer reset it: either way it is closed.
        }
    }

    /** Where and how a {@link MetricsServer} listens. */
    public static final class Builder {
        private final MetricsPages pages;
        private String host = "127.0.0.1";
        private int port;
        private int workers = 4;
        private int maxConnections = 512;
        private Duration headerTimeout = Duration.ofSeconds(10);
        private Duration writeTimeout = Duration.ofSeconds(30);
        private WebConfig webConfig = WebConfig.none();
        private PrivilegeDrop drop;

        private Builder(MetricsPages pages) {
            this.pages = Objects.requireNonNull(pages, "pages");
        }

        /** The address to listen on (default 127.0.0.1); {@code 0.0.0.0} for every IPv4 address. */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** The port to listen on; 0 (the default) for any free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Threads that make responses (default 4): scrapes at once beyond these wait their turn. */
        public Builder workers(int workers) {
            this.workers = positive(workers, "workers");
            return this;
        }

        /** Connections open at once (default 512); one more is closed as soon as accepted. */
        public Builder maxConnections(int maxConnections) {
            this.maxConnections = positive(maxConnections, "maxConnections");
            return this;
        }

        /** Time from connecting to the end of the request head (default 10 s), however slowly it trickles in. */
        public Builder headerTimeout(Duration headerTimeout) {
            this.headerTimeout = Objects.requireNonNull(headerTimeout, "headerTimeout");
            return this;
        }

        /** Time to send the whole response (default 30 s), for a client that reads slowly or not at all. */
        public Builder writeTimeout(Duration writeTimeout) {
            this.writeTimeout = Objects.requireNonNull(writeTimeout, "writeTimeout");
            return this;
        }

        /** TLS and basic auth as {@code config} (node_exporter's {@code --web.config.file}) says; default plain HTTP, no auth. */
        public Builder webConfig(WebConfig config) {
            this.webConfig = Objects.requireNonNull(config, "config");
            return this;
        }

        /**
         * Once the port is bound, and before any thread of the server starts, switch the process to
         * {@code drop}'s user with no capabilities (see {@link PrivilegeDrop}): whatever opened the
         * maps has done so already.
         */
        public Builder dropPrivileges(PrivilegeDrop drop) {
            this.drop = Objects.requireNonNull(drop, "drop");
            return this;
        }

        /** Starts listening and serving. */
        public MetricsServer start() throws IOException {
            return new MetricsServer(this);
        }

        private static int positive(int value, String name) {
            if (value < 1) {
                throw new IllegalArgumentException(name + " is " + value + "; give at least 1");
            }
            return value;
        }
    }
}
