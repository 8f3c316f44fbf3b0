package dev.bpfglobals.runtime;

import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.ToLongFunction;

/**
 * One element of a per-CPU map, decoded: a value for every possible CPU, read by one
 * {@code BPF_MAP_LOOKUP_ELEM}. Shaped like {@link PerCpuSnapshot} ({@link #get(int)} by CPU id,
 * {@link #reduce}), but holding decoded values of any codec instead of a reusable buffer.
 *
 * @param <V> the type of one CPU's value
 */
public final class PerCpuValues<V> {

    private final PossibleCpus cpus;
    private final List<V> values;

    /**
     * Values in {@link PossibleCpus} order, one per possible CPU.
     *
     * @param cpus   the possible CPUs
     * @param values their values, in slot order
     * @throws IllegalArgumentException if there is not one value per possible CPU
     */
    public PerCpuValues(PossibleCpus cpus, List<V> values) {
        this.cpus = Objects.requireNonNull(cpus, "cpus");
        this.values = List.copyOf(values);
        if (this.values.size() != cpus.count()) {
            throw new IllegalArgumentException(cpus.count() + " possible CPUs need as many values; got " + values.size());
        }
    }

    /** {@return the possible CPUs, one value each} */
    public PossibleCpus cpus() {
        return cpus;
    }

    /**
     * {@code cpu}'s value.
     *
     * @param cpu a possible CPU
     * @return its value
     * @throws IllegalArgumentException if {@code cpu} is not a possible CPU
     */
    public V get(int cpu) {
        return values.get(cpus.slotOf(cpu));
    }

    /** {@return every CPU's value, in ascending CPU order} */
    public List<V> values() {
        return values;
    }

    /**
     * Folds every CPU's value into {@code identity}, in ascending CPU order.
     *
     * @param <A> the type of the accumulated result
     * @param identity the result to start from
     * @param accumulator combines the result so far with one CPU's value
     * @return the result after every CPU
     */
    public <A> A reduce(A identity, BiFunction<A, ? super V, A> accumulator) {
        A result = identity;
        for (V value : values) {
            result = accumulator.apply(result, value);
        }
        return result;
    }

    /**
     * The sum over all CPUs of one number taken from each value (wrapping as C's unsigned arithmetic does).
     *
     * @param field what to add up of one CPU's value, e.g. {@code FlowStats::packets}
     * @return the sum
     */
    public long sum(ToLongFunction<? super V> field) {
        long sum = 0;
        for (V value : values) {
            sum += field.applyAsLong(value);
        }
        return sum;
    }

    @Override
    public String toString() {
        return "PerCpuValues" + values;
    }
}
