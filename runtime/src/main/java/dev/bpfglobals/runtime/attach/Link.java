package dev.bpfglobals.runtime.attach;

import dev.bpfglobals.runtime.kernel.BpfFd;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An attachment of a program; closing it detaches the program. It owns what keeps the program
 * attached: a BPF link, and for kprobes, uprobes, tracepoints and perf events also the perf event
 * the program runs on; for a clsact filter or a socket filter, the way to remove it again.
 */
public final class Link implements AutoCloseable {
    private final String what;
    private final List<BpfFd> fds;
    private final Runnable detach;
    private final Runnable afterClose;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Link(String what, Runnable detach, Runnable afterClose, BpfFd... fds) {
        this.what = what;
        this.detach = detach;
        this.afterClose = afterClose;
        this.fds = List.of(fds);
    }

    /** A link that closes {@code fds} (the BPF link first, then the event it holds) when it closes. */
    static Link of(String what, BpfFd... fds) {
        return new Link(what, () -> { }, () -> { }, fds);
    }

    /** A link that runs {@code detach} and then closes {@code fds} when it closes. */
    static Link of(String what, Runnable detach, BpfFd... fds) {
        return new Link(what, detach, () -> { }, fds);
    }

    /** A link that closes {@code fds} and then runs {@code afterClose}, once nothing runs the program any more. */
    static Link thenRun(String what, Runnable afterClose, BpfFd... fds) {
        return new Link(what, () -> { }, afterClose, fds);
    }

    /** Detaches (the link first, then the event it holds); later calls do nothing. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            detach.run();
            for (BpfFd owned : fds) {
                owned.close();
            }
            afterClose.run();
        }
    }

    /** What the link attaches, as its constructor was told (e.g. {@code XDP GENERIC of lo}). */
    String what() {
        return what;
    }

    /** The BPF link (or first event) it holds. */
    BpfFd firstFd() {
        return fds.getFirst();
    }

    @Override
    public String toString() {
        return "Link[" + what + "]";
    }
}
