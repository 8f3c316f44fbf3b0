package dev.bpfglobals.runtime.attach;

import dev.bpfglobals.runtime.internal.Bpf;
import dev.bpfglobals.runtime.internal.Links;
import dev.bpfglobals.runtime.kernel.BpfException;
import dev.bpfglobals.runtime.kernel.BpfFd;
import dev.bpfglobals.runtime.kernel.Errno;
import dev.bpfglobals.runtime.kernel.LinkInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An attachment of a program; closing it detaches the program. It owns what keeps the program
 * attached: a BPF link, and for kprobes, uprobes, tracepoints and perf events also the perf event
 * the program runs on; for a clsact filter or a socket filter, the way to remove it again.
 *
 * <p><b>Pinned links.</b> A BPF link {@linkplain #pin pinned} on a bpffs mount keeps its program
 * attached after every descriptor is closed, this process's exit included, as {@code bpftool link
 * pin} does: closing this {@code Link} then only closes its descriptor. {@link #openPinned} opens it
 * again (in this or another process), {@link #detach()} detaches it for everyone, and removing the
 * pin ({@link #unpin}) lets it go once no descriptor holds it.
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
            try {
                detach.run();
            } finally {
                // A detach the kernel refused must still not leak the descriptors: this close is the only one.
                for (BpfFd owned : fds) {
                    owned.close();
                }
            }
            afterClose.run();
        }
    }

    /**
     * Pins the BPF link at {@code path} ({@code BPF_OBJ_PIN}): the program stays attached until the
     * pin is removed and no descriptor holds the link, even after this process exits.
     *
     * @param path where to pin, on a bpffs mount; nothing may be pinned there yet
     * @throws IllegalArgumentException where this attachment is no BPF link (a kprobe or tracepoint
     *         on a kernel before 5.15, a clsact filter, a socket filter, XDP over netlink), which cannot be pinned
     * @throws IllegalStateException once closed
     */
    public void pin(Path path) {
        requireLink("cannot be pinned at " + path + " (the kernel attached it another way); keep this process running"
                + " to keep it attached");
        Bpf.pin(firstFd(), path.toString());
    }

    /**
     * Opens the BPF link pinned at {@code path} ({@code BPF_OBJ_GET}). Closing the returned link
     * closes its descriptor only: the pin keeps the program attached until {@link #detach()} or
     * {@link #unpin}.
     *
     * @param path a pinned link on a bpffs mount
     * @return the link, to close
     * @throws IllegalArgumentException where what is pinned there is not a link (a map, a program)
     */
    public static Link openPinned(Path path) {
        BpfFd fd = Bpf.objGet(path.toString(), 0, "link " + path);
        String kind = Bpf.objectKind(fd);
        if (!kind.equals("link")) {
            fd.close();
            throw new IllegalArgumentException(path + " is a pinned " + kind + ", not a link");
        }
        try {
            LinkInfo info = Links.info(fd);
            return new Link(info.typeName() + " link " + info.id() + " pinned at " + path, () -> { }, () -> { }, fd);
        } catch (RuntimeException e) {
            fd.close();
            throw e;
        }
    }

    /**
     * Opens the BPF link with kernel id {@code id} ({@code BPF_LINK_GET_FD_BY_ID}), as {@code bpftool
     * link show id N} finds it; closing it closes only this descriptor.
     *
     * @param id the link's kernel id ({@link LinkInfo#id()})
     * @return the link, to close
     * @throws dev.bpfglobals.runtime.kernel.BpfException with {@code ENOENT} where no link has that id (any more)
     */
    public static Link openById(int id) {
        BpfFd fd = Links.fdById(id);
        return new Link("link " + id, () -> { }, () -> { }, fd);
    }

    /**
     * What the kernel says about this BPF link ({@code BPF_OBJ_GET_INFO_BY_FD}).
     *
     * @return its id, type and the id of the program it runs
     * @throws IllegalArgumentException where this attachment is no BPF link
     */
    public LinkInfo info() {
        requireLink("has no link info");
        return Links.info(firstFd());
    }

    /**
     * Detaches the program now ({@code BPF_LINK_DETACH}, kernel 5.9+), even where the link is
     * pinned or other processes hold it, then closes this link. A pin stays until removed, as a
     * detached link whose {@link LinkInfo#programId()} is 0.
     *
     * @throws IllegalArgumentException where this attachment is no BPF link, or one of a kind the
     *         kernel cannot detach this way (a {@code perf_event} link: unpin it instead)
     */
    public void detach() {
        requireLink("cannot be detached by BPF_LINK_DETACH; close it instead");
        try {
            Links.detach(firstFd(), "detaching " + what);
        } catch (BpfException e) {
            if (e.errno() == Errno.EOPNOTSUPP) {
                throw new IllegalArgumentException("detaching " + what + ": the kernel cannot detach a " + info().typeName()
                        + " link while it is held (EOPNOTSUPP); remove its pin (Link.unpin) and close every descriptor of it", e);
            }
            throw e;
        }
        close();
    }

    /**
     * Removes the link pinned at {@code path}; its program stays attached while a descriptor
     * holds the link, and is detached once none does.
     *
     * @param path a pinned link on a bpffs mount
     * @throws IllegalArgumentException where nothing, or something other than a link, is pinned there
     */
    public static void unpin(Path path) {
        openPinned(path).close(); // refuses a map or program pinned there
        try {
            Files.delete(path);
        } catch (IOException e) {
            throw new IllegalStateException("cannot remove the pinned link " + path + ": " + e, e);
        }
    }

    private void requireOpen() {
        if (closed.get()) {
            throw new IllegalStateException(what + " is closed");
        }
    }

    void requireLink(String refusal) {
        requireOpen();
        if (fds.isEmpty() || !Bpf.objectKind(firstFd()).equals("link")) {
            throw new IllegalArgumentException(what + " is not held by a BPF link and " + refusal);
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
