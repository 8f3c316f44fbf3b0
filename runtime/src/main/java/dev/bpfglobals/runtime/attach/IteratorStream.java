package dev.bpfglobals.runtime.attach;

import dev.bpfglobals.runtime.internal.Iterators;
import dev.bpfglobals.runtime.kernel.BpfFd;
import dev.bpfglobals.runtime.kernel.Errno;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * One pass of an iterator, as the bytes its program writes ({@code bpf_seq_printf},
 * {@code bpf_seq_write}): each {@code read} reads the iterator's descriptor, on which the kernel runs
 * the program over the next objects. Owns the descriptor and a native buffer; closing frees both.
 */
final class IteratorStream extends InputStream {

    /** What one read asks the kernel for; the kernel's own seq buffer is 8 pages. */
    private static final int CHUNK = 64 * 1024;

    private final String what;
    private final BpfFd iterator;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment buffer = arena.allocate(CHUNK);
    private boolean closed;

    IteratorStream(String what, BpfFd iterator) {
        this.what = what;
        this.iterator = iterator;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public synchronized int read(byte[] into, int offset, int length) throws IOException {
        java.util.Objects.checkFromIndexSize(offset, length, into.length);
        if (closed) {
            throw new IOException(what + ": the stream is closed");
        }
        if (length == 0) {
            return 0;
        }
        long got = Iterators.read(iterator, buffer.asSlice(0, Math.min(length, CHUNK)));
        if (got < 0) {
            Errno errno = Errno.of((int) -got);
            throw new IOException(what + ": read failed with " + errno + (errno == Errno.E2BIG
                    ? " (the program wrote more for one object than the kernel's seq buffer holds)" : ""));
        }
        if (got == 0) {
            return -1;
        }
        MemorySegment.copy(buffer, ValueLayout.JAVA_BYTE, 0, into, offset, (int) got);
        return (int) got;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            iterator.close();
            arena.close();
        }
    }
}
