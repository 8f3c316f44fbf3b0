package dev.bpfglobals.runtime.attach;

import dev.bpfglobals.runtime.internal.Iterators;
import dev.bpfglobals.runtime.kernel.BpfException;
import dev.bpfglobals.runtime.kernel.BpfFd;
import dev.bpfglobals.runtime.kernel.Errno;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * BPF iterators ({@code iter/TARGET}, e.g. {@code iter/task}, {@code iter/bpf_map},
 * {@code iter/bpf_map_elem}; kernel 5.8+): a TRACING program verified against
 * {@code bpf_iter_TARGET} becomes an iterator link, and each {@link #open} of that link is one pass
 * over the target's objects, the program run once per object as the stream is read, its
 * {@code bpf_seq_printf} and {@code bpf_seq_write} output the stream's bytes.
 */
public final class IterAttach {

    private IterAttach() {
    }

    /**
     * Makes an iterator link of {@code program} over its whole target (every task, every map ...).
     *
     * @param program the program's descriptor, which stays the caller's
     * @param programName the program's name, for the link's description and errors
     * @return the iterator link, to {@link #open} as often as wanted; closing it ends it
     * @throws IllegalArgumentException where the target iterates the elements of one map, naming the
     *                                  method that takes the map
     * @throws BpfException naming the errno: {@code EINVAL} for a program that is not an iterator
     */
    public static Link attach(BpfFd program, String programName) {
        String what = "iterator " + programName;
        try {
            return Link.of(what, Iterators.link(program, null, what));
        } catch (BpfException e) {
            if (e.errno() == Errno.EBADF) {
                throw new IllegalArgumentException(what + ": the kernel refused with EBADF: this iterator's target walks "
                        + "the elements of one map; attach it with attachMapIterator(map)", e);
            }
            throw e;
        }
    }

    /**
     * Makes an iterator link of {@code program} over the elements of {@code map}, for targets that
     * walk one map ({@code bpf_map_elem}, {@code bpf_sk_storage_map}, {@code sockmap}).
     *
     * @param program the program's descriptor, which stays the caller's
     * @param map the map's descriptor, which stays the caller's
     * @param programName the program's name, for the link's description and errors
     * @return the iterator link, to {@link #open} as often as wanted; closing it ends it
     * @throws BpfException naming the errno: {@code EINVAL} where the target walks no map, or the
     *                      program reads values larger than the map's ({@code EACCES})
     */
    public static Link attachMap(BpfFd program, BpfFd map, String programName) {
        String what = "iterator " + programName + " over a map";
        return Link.of(what, Iterators.link(program, map, what));
    }

    /**
     * Makes an iterator link of task iterator {@code program} ({@code iter/task}, {@code iter/task_file},
     * {@code iter/task_vma}) over the threads of process {@code pid} alone, as libbpf's
     * {@code bpf_iter_attach_opts} with {@code link_info.task.pid} (kernel 6.1+).
     *
     * @param program the program's descriptor, which stays the caller's
     * @param pid the process whose threads (or files, or memory areas) the iterator walks, positive
     * @param programName the program's name, for the link's description and errors
     * @return the iterator link, to {@link #open} as often as wanted; closing it ends it
     * @throws IllegalArgumentException for a pid that is not positive
     * @throws BpfException naming the errno: {@code ESRCH} where there is no such process, {@code EINVAL}
     *                      where the target is no task target or the kernel takes no task parameters (before 6.1)
     */
    public static Link attachTask(BpfFd program, int pid, String programName) {
        String what = "iterator " + programName + " over process " + pid;
        if (pid <= 0) {
            throw new IllegalArgumentException(what + ": a process id is positive");
        }
        return Link.of(what, Iterators.linkTask(program, pid, what));
    }

    /**
     * Opens one pass of {@code iterator} ({@code BPF_ITER_CREATE}): its bytes, produced as they are
     * read; the stream ends where the pass does. Each call is a new pass from the first object.
     *
     * @param iterator a link made by {@link #attach} or {@link #attachMap}, still open
     * @return the pass's output, to close
     * @throws BpfException naming the errno: {@code EINVAL} where the link is no iterator link
     */
    public static InputStream open(Link iterator) {
        String what = iterator.what();
        return new IteratorStream(what, Iterators.open(iterator.firstFd(), what));
    }

    /**
     * Reads one whole pass of {@code iterator} as UTF-8 text, e.g. what {@code BPF_SEQ_PRINTF} wrote.
     *
     * @param iterator an iterator link, still open
     * @return everything the program wrote in one pass
     * @throws UncheckedIOException where a read fails, naming the errno
     */
    public static String readText(Link iterator) {
        return new String(readBytes(iterator), StandardCharsets.UTF_8);
    }

    /**
     * Reads one whole pass of {@code iterator} as fixed-size records, e.g. a C struct the program
     * wrote per object with {@code bpf_seq_write}: each a read-only buffer of {@code recordSize} bytes
     * in the machine's byte order.
     *
     * @param iterator an iterator link, still open
     * @param recordSize the size of one record, positive
     * @return the records, in the order the program wrote them
     * @throws IllegalArgumentException where the pass's length is no multiple of {@code recordSize}
     * @throws UncheckedIOException where a read fails, naming the errno
     */
    public static List<ByteBuffer> readRecords(Link iterator, int recordSize) {
        if (recordSize <= 0) {
            throw new IllegalArgumentException(iterator.what() + ": a record size is positive, not " + recordSize);
        }
        byte[] bytes = readBytes(iterator);
        if (bytes.length % recordSize != 0) {
            throw new IllegalArgumentException(iterator.what() + ": the pass wrote " + bytes.length
                    + " bytes, no multiple of the record size " + recordSize);
        }
        List<ByteBuffer> records = new ArrayList<>(bytes.length / recordSize);
        for (int at = 0; at < bytes.length; at += recordSize) {
            records.add(ByteBuffer.wrap(bytes, at, recordSize).slice().asReadOnlyBuffer().order(ByteOrder.nativeOrder()));
        }
        return records;
    }

    private static byte[] readBytes(Link iterator) {
        try (InputStream pass = open(iterator)) {
            return pass.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /** Attaches an {@code iter/TARGET} section's program over its whole target. */
    static Link section(BpfFd program, AutoAttach.Section section) {
        return attach(program, section.program());
    }
}
