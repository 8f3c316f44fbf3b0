package dev.bpfglobals.runtime.internal;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A file descriptor that many threads use at once and one of them closes: {@link #acquire()} and
 * {@link #release()} bracket each use, and the descriptor is closed when it has been
 * {@linkplain #close() closed} and its last user has released it. So a concurrent close never
 * pulls the number from under a syscall in flight (where the kernel could already have given it to
 * another file), and a use costs one compare-and-set and one decrement, no lock.
 */
public final class SharedFd {

    /** Set once the owner has closed; the bits below count the users in flight. */
    private static final int CLOSED = 1 << 30;

    private final int fd;
    private final AtomicInteger state = new AtomicInteger();

    /** Takes ownership of {@code fd}. */
    public SharedFd(int fd) {
        this.fd = fd;
    }

    /**
     * The descriptor, for one use that must end with {@link #release()}.
     *
     * @throws IllegalStateException with {@code closedMessage}'s text if the descriptor is closed
     */
    public int acquire(java.util.function.Supplier<String> closedMessage) {
        for (;;) {
            int current = state.get();
            if ((current & CLOSED) != 0) {
                throw new IllegalStateException(closedMessage.get());
            }
            if (state.compareAndSet(current, current + 1)) {
                return fd;
            }
        }
    }

    /** Ends a use begun with {@link #acquire}; the last use after a close closes the descriptor. */
    public void release() {
        if (state.decrementAndGet() == CLOSED) {
            Bpf.close(fd);
        }
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return (state.get() & CLOSED) != 0;
    }

    /** Closes now if no use is in flight, else when the last one ends; later calls do nothing. */
    public void close() {
        for (;;) {
            int current = state.get();
            if ((current & CLOSED) != 0) {
                return;
            }
            if (state.compareAndSet(current, current | CLOSED)) {
                if (current == 0) {
                    Bpf.close(fd);
                }
                return;
            }
        }
    }
}
