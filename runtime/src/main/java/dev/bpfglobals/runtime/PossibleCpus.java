package dev.bpfglobals.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The CPUs the kernel keeps per-CPU map values for: the <em>possible</em> CPUs, as listed in
 * {@code /sys/devices/system/cpu/possible}.
 *
 * <p>Per-CPU lookups and updates exchange one value slot per possible CPU, in ascending CPU order.
 * That count may exceed both the online CPUs and {@link Runtime#availableProcessors()}; sizing a
 * buffer by either of those corrupts memory or loses values, a bug several libraries have had.
 */
public final class PossibleCpus {

    /** Where the kernel publishes the possible-CPU mask. */
    public static final Path SYSFS_PATH = Path.of("/sys/devices/system/cpu/possible");

    /** Guards against absurd masks: the kernel's own NR_CPUS limit is 8192. */
    private static final int MAX_CPU_ID = 8191;

    private static volatile PossibleCpus system;

    private final int[] ids;
    private final int[] slotByCpu;

    private PossibleCpus(int[] ids) {
        this.ids = ids;
        this.slotByCpu = new int[ids[ids.length - 1] + 1];
        Arrays.fill(slotByCpu, -1);
        for (int slot = 0; slot < ids.length; slot++) {
            slotByCpu[ids[slot]] = slot;
        }
    }

    /**
     * The possible CPUs of this machine, read once from sysfs and cached.
     *
     * @return the possible CPUs
     */
    public static PossibleCpus system() {
        PossibleCpus cpus = system;
        if (cpus == null) {
            try {
                cpus = parse(Files.readString(SYSFS_PATH));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the possible-CPU mask from " + SYSFS_PATH, e);
            }
            system = cpus;
        }
        return cpus;
    }

    /**
     * Parses the kernel's CPU list format, e.g. {@code 0-3,5,7-8}.
     *
     * @param list the list, as {@code /sys/devices/system/cpu/possible} holds it
     * @return the CPUs it names
     * @throws IllegalArgumentException naming the offending text if the list is malformed, empty,
     *                                  unordered or overlapping
     */
    public static PossibleCpus parse(String list) {
        String text = list.strip();
        if (text.isEmpty()) {
            throw new IllegalArgumentException("possible-CPU list is empty");
        }
        int[] ids = new int[0];
        int count = 0;
        int previous = -1;
        for (String part : text.split(",", -1)) {
            int dash = part.indexOf('-');
            int first = parseId(part, dash < 0 ? part : part.substring(0, dash), text);
            int last = dash < 0 ? first : parseId(part, part.substring(dash + 1), text);
            if (first <= previous || last < first) {
                throw new IllegalArgumentException("possible-CPU list '" + text + "': range '" + part
                        + "' is out of order or overlaps");
            }
            for (int cpu = first; cpu <= last; cpu++) {
                if (count == ids.length) {
                    ids = Arrays.copyOf(ids, Math.max(8, count * 2));
                }
                ids[count++] = cpu;
            }
            previous = last;
        }
        return new PossibleCpus(Arrays.copyOf(ids, count));
    }

    private static int parseId(String part, String number, String whole) {
        try {
            int id = Integer.parseInt(number);
            if (id < 0 || id > MAX_CPU_ID) {
                throw new NumberFormatException();
            }
            return id;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("possible-CPU list '" + whole + "': '" + part
                    + "' is not a CPU number or range (0-" + MAX_CPU_ID + ")");
        }
    }

    /** {@return how many per-CPU value slots the kernel reads and writes} */
    public int count() {
        return ids.length;
    }

    /** {@return the possible CPU numbers in ascending order; slot {@code i} belongs to {@code ids().get(i)}} */
    public List<Integer> ids() {
        return Arrays.stream(ids).boxed().toList();
    }

    /**
     * Whether {@code cpu} is a possible CPU.
     *
     * @param cpu a CPU number
     * @return whether the kernel keeps a per-CPU value slot for it
     */
    public boolean contains(int cpu) {
        return cpu >= 0 && cpu < slotByCpu.length && slotByCpu[cpu] >= 0;
    }

    /**
     * The slot index of {@code cpu} in a per-CPU value buffer.
     *
     * @param cpu a possible CPU
     * @return the slot's index, 0 for the lowest possible CPU
     * @throws IllegalArgumentException if {@code cpu} is not a possible CPU
     */
    public int slotOf(int cpu) {
        if (!contains(cpu)) {
            throw new IllegalArgumentException("CPU " + cpu + " is not a possible CPU (possible: " + this + ")");
        }
        return slotByCpu[cpu];
    }

    /**
     * The CPU number that owns slot {@code slot}.
     *
     * @param slot a slot index, from 0 to {@link #count()} - 1
     * @return the CPU whose value that slot holds
     */
    public int cpuAt(int slot) {
        return ids[slot];
    }

    /** The list in the kernel's own format, e.g. {@code 0-3,5}. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < ids.length; i++) {
            int start = ids[i];
            while (i + 1 < ids.length && ids[i + 1] == ids[i] + 1) {
                i++;
            }
            out.append(out.isEmpty() ? "" : ",").append(start);
            if (ids[i] != start) {
                out.append('-').append(ids[i]);
            }
        }
        return out.toString();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PossibleCpus cpus && Arrays.equals(ids, cpus.ids);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(ids);
    }
}
