package dev.bpfglobals.runtime.testing;

import java.lang.management.ManagementFactory;
import java.util.Optional;
import java.util.function.Function;

/**
 * The property every reader's {@code @FuzzTest} checks on each input: the reader returns, or refuses
 * with its one format exception (raised on purpose, see {@link ObjectFuzzer#isFormatError}); any
 * other exception or error (an index out of bounds, an {@code OutOfMemoryError}, a stack overflow)
 * escapes to Jazzer as a finding. Memory is bounded by the input's size: the bytes the reading thread
 * allocates stay under {@link #ALLOCATION_BASE}, plus what the format lets any file claim, plus
 * {@link #ALLOCATION_PER_BYTE} per input byte, so a
 * small file that claims a huge count or a deep chain is a finding even when it ends in the right exception.
 */
public final class ReaderProperty {

    /** What any input may cost regardless of its size: room for the JDK's own buffers and the first few lists. */
    public static final long ALLOCATION_BASE = 1024 * 1024;
    /**
     * What each input byte may cost: a parsed file is a tree of records, strings and lists a few
     * times to some tens of times the bytes that describe it (the seed corpus measures 2 to 30, the
     * smallest inputs up to 100 where the base dominates); 256 leaves room for that and still
     * catches a claimed count or length that is believed.
     */
    public static final long ALLOCATION_PER_BYTE = 256;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private ReaderProperty() {
    }

    /** As {@link #readOrRefuse(byte[], Function, Class, long)}, for a format in which nothing is claimed without its bytes. */
    public static <T> Optional<T> readOrRefuse(byte[] input, Function<byte[], T> reader, Class<? extends RuntimeException> refusal) {
        return readOrRefuse(input, reader, refusal, 0);
    }

    /**
     * Runs {@code reader} on {@code input} and checks the property.
     *
     * @param refusal the reader's one format exception
     * @param claimable what the format lets a file of any size make the reader allocate on purpose
     *                  (0 where nothing is claimed without its bytes)
     * @return the result, or empty when the input was refused
     * @throws AssertionError when the refusal wraps a JDK exception, or the reading allocated more than its bound
     */
    public static <T> Optional<T> readOrRefuse(byte[] input, Function<byte[], T> reader, Class<? extends RuntimeException> refusal,
            long claimable) {
        long bound = ALLOCATION_BASE + claimable + ALLOCATION_PER_BYTE * input.length;
        long before = THREADS.getCurrentThreadAllocatedBytes();
        Optional<T> result = readChecked(input, reader, refusal);
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        if (allocated > bound) {
            // The first input to reach a class pays for loading it (and, when fuzzing, instrumenting it):
            // only a second read of the same bytes, with every class loaded, counts.
            before = THREADS.getCurrentThreadAllocatedBytes();
            readChecked(input, reader, refusal);
            allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
            if (allocated > bound) {
                throw new AssertionError("reading " + input.length + " bytes allocated " + allocated + ", over the bound of " + bound);
            }
        }
        return result;
    }

    private static <T> Optional<T> readChecked(byte[] input, Function<byte[], T> reader, Class<? extends RuntimeException> refusal) {
        try {
            return Optional.of(reader.apply(input));
        } catch (RuntimeException e) {
            if (!refusal.isInstance(e)) {
                throw e;
            }
            if (!ObjectFuzzer.isFormatError(e, refusal)) {
                throw new AssertionError("the " + refusal.getSimpleName() + " wraps an exception no check raised: " + e, e);
            }
            return Optional.empty();
        }
    }

    /**
     * Checks that a decoded count is bounded by the bytes that hold it.
     *
     * @param what names the count in the failure
     * @param count how many were decoded
     * @param bytesEach the fewest input bytes each one takes
     * @param inputLength the input's size
     * @throws AssertionError if {@code count} items could not fit in the input
     */
    public static void boundedByInput(String what, long count, int bytesEach, int inputLength) {
        if (count * bytesEach > inputLength) {
            throw new AssertionError(count + " " + what + " of at least " + bytesEach + " bytes each decoded from "
                    + inputLength + " bytes");
        }
    }
}
