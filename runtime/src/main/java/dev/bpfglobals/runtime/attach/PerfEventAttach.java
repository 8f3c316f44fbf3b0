package dev.bpfglobals.runtime.attach;

import dev.bpfglobals.runtime.internal.Links;
import dev.bpfglobals.runtime.internal.kernelenv.PerfCounters;
import dev.bpfglobals.runtime.kernel.BpfFd;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Attaches PERF_EVENT programs ({@code perf_event}) to sampling perf events: a hardware or software
 * counter this class opens, per CPU or per thread, or an event the caller opened. For the other
 * perf-event based families (kprobes, uprobes, tracepoints) it holds the one step they share: a
 * BPF link on the event where the kernel makes one (5.15+), else {@code PERF_EVENT_IOC_SET_BPF}.
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
        return counter(program, PerfCounter.CPU_CLOCK, PerfSampling.hertz(frequencyHz), -1, cpus);
    }

    /**
     * Attaches PERF_EVENT program {@code program} to {@code counter}, sampled as {@code sampling}:
     * with {@code tid} -1 on every online CPU for every process (one event and BPF link per CPU,
     * offline CPUs skipped), else for thread {@code tid} alone on whichever CPU it runs (threads it
     * starts later are not followed; a single-threaded process's thread id is its pid).
     *
     * @param program the program's descriptor, which stays the caller's
     * @param counter what to count
     * @param sampling after how many counted events, or how often, the program runs
     * @param tid a thread id, or -1 for every thread on every CPU
     * @param cpus the possible CPUs ({@code PossibleCpus.system().ids()}), read when {@code tid} is -1
     * @return the attachment, which closes every event and link when closed
     * @throws UnsupportedOperationException where the machine has no such hardware counter, in one
     *         line: {@code no hardware counter cycles on this machine (ENOENT)}
     * @throws IllegalArgumentException for a thread that does not exist
     * @throws IllegalStateException naming the errno where the kernel refuses the events otherwise
     */
    public static Link counter(BpfFd program, PerfCounter counter, PerfSampling sampling, int tid, List<Integer> cpus) {
        String what = counter.perfName() + " " + sampling + (tid < 0 ? " on every CPU" : " of thread " + tid);
        List<Integer> where = tid < 0 ? cpus : List.of(-1);
        List<BpfFd> owned = new ArrayList<>();
        try {
            for (int cpu : where) {
                Optional<BpfFd> event = PerfCounters.open(counter.type(), counter.config(), counter.perfName(), sampling.value(),
                        sampling.frequency(), tid, cpu);
                if (event.isEmpty()) {
                    continue; // a possible CPU that is offline
                }
                BpfFd eventFd = event.get();
                owned.add(eventFd);
                String one = counter.perfName() + (tid < 0 ? " on CPU " + cpu : " of thread " + tid);
                Links.attachPerfEvent(program, eventFd, one).ifPresent(link -> owned.add(owned.size() - 1, link));
            }
            return Link.of(what, owned.toArray(BpfFd[]::new));
        } catch (RuntimeException e) {
            owned.forEach(BpfFd::close);
            throw e;
        }
    }

    /**
     * Attaches PERF_EVENT program {@code program} to a perf event the caller opened
     * ({@code perf_event_open}, any type, sampling as the caller set it), as libbpf's
     * {@code bpf_program__attach_perf_event} does: the descriptor is duplicated, so the caller keeps
     * and closes its own. The event is enabled. Closing the link detaches the program; where the
     * kernel makes no perf links (before 5.15) the program stays until the caller's descriptor closes too.
     *
     * @param program the program's descriptor, which stays the caller's
     * @param perfEventFd an open perf event descriptor, which stays the caller's
     * @return the attachment, which detaches when closed
     * @throws IllegalArgumentException if {@code perfEventFd} is not open
     * @throws dev.bpfglobals.runtime.kernel.BpfException naming the errno where the kernel refuses,
     *         e.g. {@code EBADF} for a descriptor that is no perf event
     */
    public static Link callersEvent(BpfFd program, int perfEventFd) {
        String what = "the caller's perf event (fd " + perfEventFd + ")";
        return onEvent(program, what, BpfFd.duplicateOf(perfEventFd, what));
    }

    /** Runs {@code program} on {@code event}, which the returned link then owns (closed here on failure). */
    static Link onEvent(BpfFd program, String what, BpfFd event) {
        return onEvent(program, what, event, 0);
    }

    /** As {@link #onEvent(BpfFd, String, BpfFd)}, the link carrying {@code cookie} as its {@code bpf_cookie}. */
    static Link onEvent(BpfFd program, String what, BpfFd event, long cookie) {
        try {
            return Links.attachPerfEvent(program, event, cookie, what).map(link -> Link.of(what, link, event))
                    .orElseGet(() -> Link.of(what, event));
        } catch (RuntimeException e) {
            event.close();
            throw e;
        }
    }
}
