package dev.bpfglobals.runtime.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Feeds mutated copies of valid inputs (BPF objects, BTF blobs) to a reader and checks that each
 * one ends in a parsed result or the reader's one format exception: no other exception, no error
 * (an {@code OutOfMemoryError} included). Callers bound the time with
 * {@code assertTimeoutPreemptively}, so a hang fails too.
 *
 * <p>Reproducible: the mutants follow from the seed alone. System properties:
 * {@value #SEED_PROPERTY} (default {@value #DEFAULT_SEED}), {@value #ITERATIONS_PROPERTY} (the
 * caller's default, a few hundred so the normal build takes seconds), {@value #CRASH_DIR_PROPERTY}
 * (where an input that escaped is written, default {@code target/fuzz-crashers}). A longer run:
 * {@code bin/test -pl runtime -Dtest=ObjectRobustnessTest -Dbpfglobals.fuzz.iterations=200000 -Dbpfglobals.fuzz.seed=$RANDOM}.
 * Once the reader is fixed, a saved crasher goes into {@code src/test/resources/fuzz-regressions/}
 * with the message it now gets (see the README there), where {@code FuzzRegressionTest} replays it
 * on every build.
 */
public final class ObjectFuzzer {

    public static final String SEED_PROPERTY = "bpfglobals.fuzz.seed";
    public static final String ITERATIONS_PROPERTY = "bpfglobals.fuzz.iterations";
    public static final String CRASH_DIR_PROPERTY = "bpfglobals.fuzz.crashDir";
    public static final long DEFAULT_SEED = 20261125L;

    private final long seed;
    private final int iterations;
    private final Path crashDir;

    /** A fuzzer with an explicit seed and iteration count. */
    public ObjectFuzzer(long seed, int iterations, Path crashDir) {
        this.seed = seed;
        this.iterations = iterations;
        this.crashDir = crashDir;
    }

    /** Seed, iterations and crash directory from the system properties, else the defaults. */
    public static ObjectFuzzer fromSystemProperties(int defaultIterations) {
        return new ObjectFuzzer(Long.getLong(SEED_PROPERTY, DEFAULT_SEED),
                Integer.getInteger(ITERATIONS_PROPERTY, defaultIterations),
                Path.of(System.getProperty(CRASH_DIR_PROPERTY, "target/fuzz-crashers")));
    }

    public long seed() {
        return seed;
    }

    public int iterations() {
        return iterations;
    }

    /** One mutated input and how it was made. */
    public record Mutant(int iteration, String source, String mutation, byte[] bytes) {
    }

    /** What happened to the inputs: accepted (parsed) or refused with the format exception, per mutation. */
    public record Summary(int accepted, int refused, Map<String, Integer> byMutation) {
        /** All inputs. */
        public int total() {
            return accepted + refused;
        }
    }

    /**
     * The deterministic corpus: {@link #iterations()} mutants of the named valid inputs, taken in turn.
     *
     * @param mutator makes one mutant of a valid input, naming the mutation
     */
    public List<Mutant> corpus(Map<String, byte[]> valid, Mutator mutator) {
        Random random = new Random(seed);
        List<String> names = new ArrayList<>(valid.keySet());
        List<Mutant> out = new ArrayList<>(iterations);
        for (int i = 0; i < iterations; i++) {
            String name = names.get(i % names.size());
            Mutator.Result result = mutator.mutate(valid.get(name), random);
            out.add(new Mutant(i, name, result.mutation(), result.bytes()));
        }
        return out;
    }

    /** Makes one mutant. */
    @FunctionalInterface
    public interface Mutator {
        /** A mutant of {@code valid} and the name of the mutation applied. */
        Result mutate(byte[] valid, Random random);

        /** A mutant and how it was made. */
        record Result(String mutation, byte[] bytes) {
        }
    }

    /**
     * Runs {@code reader} on every mutant of the corpus.
     *
     * @param refusal the one way the reader may refuse an input
     * @throws AssertionError naming the seed, iteration, source and mutation of the first input that
     *                        ended otherwise (and where its bytes were saved)
     */
    public Summary run(Map<String, byte[]> valid, Mutator mutator, Consumer<byte[]> reader, Predicate<Throwable> refusal) {
        int accepted = 0;
        int refused = 0;
        Map<String, Integer> byMutation = new TreeMap<>();
        for (Mutant mutant : corpus(valid, mutator)) {
            byMutation.merge(mutant.mutation(), 1, Integer::sum);
            try {
                reader.accept(mutant.bytes());
                accepted++;
            } catch (Throwable t) {
                if (!refusal.test(t)) {
                    throw new AssertionError("mutant " + mutant.iteration() + " of seed " + seed + " (" + mutant.source()
                            + ", " + mutant.mutation() + ") escaped as " + t + "; input saved at " + save(mutant), t);
                }
                refused++;
            }
        }
        return new Summary(accepted, refused, byMutation);
    }

    /**
     * Whether {@code thrown} is {@code formatException} raised on purpose: itself, and any cause
     * either another format exception of this project or an argument check of this project's
     * records, never a JDK exception (an index out of bounds, an overflow) that a missed check let through.
     */
    public static boolean isFormatError(Throwable thrown, Class<? extends Throwable> formatException) {
        if (!formatException.isInstance(thrown)) {
            return false;
        }
        for (Throwable cause = thrown.getCause(); cause != null; cause = cause.getCause()) {
            boolean ours = cause.getClass().getName().startsWith("dev.bpfglobals.")
                    && cause.getClass().getSimpleName().endsWith("FormatException");
            boolean recordCheck = cause.getClass() == IllegalArgumentException.class && cause.getStackTrace().length > 0
                    && cause.getStackTrace()[0].getClassName().startsWith("dev.bpfglobals.");
            if (!ours && !recordCheck) {
                return false;
            }
        }
        return true;
    }

    private String save(Mutant mutant) {
        try {
            Files.createDirectories(crashDir);
            Path file = crashDir.resolve(mutant.source() + "-" + seed + "-" + mutant.iteration() + ".bin");
            Files.write(file, mutant.bytes());
            return file.toAbsolutePath().toString();
        } catch (IOException e) {
            return "(not saved: " + e + ")";
        }
    }

    /** The valid inputs keyed by name, in the given order. */
    public static Map<String, byte[]> inputs(Object... nameThenBytes) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (int i = 0; i < nameThenBytes.length; i += 2) {
            out.put((String) nameThenBytes[i], (byte[]) nameThenBytes[i + 1]);
        }
        return out;
    }
}
