package dev.bpfglobals.runtime.attach;

import dev.bpfglobals.runtime.internal.Links;
import dev.bpfglobals.runtime.internal.kernelenv.PerfEvents;
import dev.bpfglobals.runtime.kernel.BpfFd;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Attaches programs to perf events: PERF_EVENT programs ({@code perf_event}) to a CPU clock on every
 * CPU, and, for the other perf-event based families (kprobes, uprobes, tracepoints), the one step
 * they share: a BPF link on the event where the kernel makes one, else the event itself.
 */
public final class PerfEventAttach {

    private PerfEventAttach() {
    }

    /**
     * Attaches PERF_EVENT program {@code program} to a software CPU-clock event on every online CPU,
     * sampling each {@code frequencyHz} times a second: one link holds an event and its BPF link per CPU.
     * {@code cpus} are the possible CPUs ({@code PossibleCpus.system().ids()}); those offline are skipped.
     *
     * @param program the program's descriptor, which stays the caller's
     * @param frequencyHz samples per second on each CPU, 1 to 100000
     * @param cpus the possible CPUs
     * @return the attachment, which closes every CPU's event and link when closed
     * @throws IllegalArgumentException for a frequency outside 1 to 100000 Hz
     * @throws IllegalStateException naming the errno where the kernel refuses the events
     */
    public static Link cpuClock(BpfFd program, int frequencyHz, List<Integer> cpus) {
        if (frequencyHz < 1 || frequencyHz > 100_000) {
            throw new IllegalArgumentException("frequency " + frequencyHz + " Hz: expected 1 to 100000 (the kernel caps it "
                    + "further at kernel.perf_event_max_sample_rate)");
        }
        List<BpfFd> owned = new ArrayList<>();
        try {
            for (int cpu : cpus) {
                Optional<BpfFd> event = PerfEvents.cpuClock(cpu, frequencyHz);
                if (event.isEmpty()) {
                    continue; // a possible CPU that is offline
                }
                BpfFd eventFd = event.get();
                owned.add(eventFd);
                String what = "CPU clock at " + frequencyHz + " Hz on CPU " + cpu;
                Links.attachPerfEvent(program, eventFd, what).ifPresent(link -> owned.add(owned.size() - 1, link));
            }
            return Link.of("CPU clock at " + frequencyHz + " Hz", owned.toArray(BpfFd[]::new));
        } catch (RuntimeException e) {
            owned.forEach(BpfFd::close);
            throw e;
        }
    }

    /** Runs {@code program} on {@code event}, which the returned link then owns (closed here on failure). */
    static Link onEvent(BpfFd program, String what, BpfFd event) {
        try {
            return Links.attachPerfEvent(program, event, what).map(link -> Link.of(what, link, event))
                    .orElseGet(() -> Link.of(what, event));
        } catch (RuntimeException e) {
            event.close();
            throw e;
        }
    }
}
