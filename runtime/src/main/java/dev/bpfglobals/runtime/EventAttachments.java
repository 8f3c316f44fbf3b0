package dev.bpfglobals.runtime;

import dev.bpfglobals.runtime.attach.AttachOptions;
import dev.bpfglobals.runtime.attach.KprobeAttach;
import dev.bpfglobals.runtime.attach.KprobeMultiAttach;
import dev.bpfglobals.runtime.attach.Link;
import dev.bpfglobals.runtime.attach.PerfCounter;
import dev.bpfglobals.runtime.attach.PerfEventAttach;
import dev.bpfglobals.runtime.attach.PerfSampling;
import dev.bpfglobals.runtime.attach.TracepointAttach;
import dev.bpfglobals.runtime.attach.TracingAttach;
import dev.bpfglobals.runtime.attach.UprobeAttach;
import dev.bpfglobals.runtime.attach.UprobeMultiAttach;
import dev.bpfglobals.runtime.kernel.BpfFd;
import dev.bpfglobals.runtime.kernel.ProgramInfo;
import java.nio.file.Path;
import java.util.SequencedMap;

/**
 * The {@code attach*} methods of a {@link BpfProgram} for perf-event sampling and for attachments
 * with a caller's {@code bpf_cookie} ({@link AttachOptions}: kprobes, uprobes with their semaphore and
 * process, tracepoints, fentry/fexit, kprobe_multi and uprobe_multi links), beside {@link ProgramAttachments} (which extends this) so that neither file
 * grows past a sitting: each is a thin delegate to its attach class in
 * {@link dev.bpfglobals.runtime.attach}. Sealed: {@link BpfProgram}, through
 * {@link ProgramAttachments}, is its only implementation.
 */
public sealed interface EventAttachments permits ProgramAttachments {

    /**
     * The program's descriptor, lent to the attach classes.
     *
     * @return the program's file descriptor, still owned by the program
     */
    BpfFd fd();

    /**
     * What the kernel says about the program; the attach classes read its name.
     *
     * @return the kernel's current information about the program
     */
    ProgramInfo info();

    /**
     * Attaches this PERF_EVENT program ({@code perf_event} section) to {@code counter}, sampled as
     * {@code sampling}: with {@code tid} -1 on every online CPU whatever runs there, else for thread
     * {@code tid} alone on whichever CPU it runs. A BPF link holds each event where the kernel makes
     * one (5.15+), else {@code PERF_EVENT_IOC_SET_BPF} puts the program on it.
     *
     * @param counter what to count: a software clock, or a hardware counter where the machine has a PMU
     * @param sampling after how many counted events ({@link PerfSampling#every}), or how often
     *                 ({@link PerfSampling#hertz}), the program runs
     * @param tid a thread id (a single-threaded process's pid), or -1 for every thread on every CPU
     * @return the attachment, which closes every event and link when closed
     * @throws UnsupportedOperationException where the machine has no such hardware counter, in one
     *         line naming it and the errno: {@code no hardware counter cycles on this machine (ENOENT)}
     * @throws IllegalArgumentException for a thread that does not exist
     * @throws IllegalStateException naming the errno where the kernel refuses the events otherwise
     */
    default Link attachPerfEvent(PerfCounter counter, PerfSampling sampling, int tid) {
        return PerfEventAttach.counter(fd(), counter, sampling, tid, PossibleCpus.system().ids());
    }

    /**
     * Attaches this PERF_EVENT program to a perf event the caller opened with
     * {@code perf_event_open} (any type and sampling), as libbpf's
     * {@code bpf_program__attach_perf_event}: the descriptor is duplicated, so the caller keeps its
     * own and closes it; the event is enabled.
     *
     * @param perfEventFd an open perf event descriptor, which stays the caller's
     * @return the attachment, which detaches the program when closed (before kernel 5.15, once
     *         the caller's descriptor is closed too)
     * @throws IllegalArgumentException if {@code perfEventFd} is not open
     * @throws dev.bpfglobals.runtime.kernel.BpfException naming the errno where the kernel refuses
     */
    default Link attachPerfEvent(int perfEventFd) {
        return PerfEventAttach.callersEvent(fd(), perfEventFd);
    }

    /**
     * Attaches this KPROBE program, loaded from a {@code kprobe.multi/} or {@code kretprobe.multi/}
     * section, to exactly the kernel functions of {@code cookies}' keys through one kprobe_multi
     * link, each with its value as its cookie: the program reads the cookie of the function it runs
     * on with {@code bpf_get_attach_cookie(ctx)}, as libbpf's {@code bpf_kprobe_multi_opts.cookies}.
     *
     * @param cookies each kernel function to attach to, with its cookie, in the order given
     * @param retprobe {@code true} to run on the functions' returns rather than their entries
     * @return the one link over all of them, which detaches them all when closed
     * @throws UnsupportedOperationException where the kernel makes no kprobe_multi links
     * @throws IllegalArgumentException where {@code cookies} is empty or the kernel cannot attach to
     *                                  one of its functions
     */
    default Link attachKprobeMulti(SequencedMap<String, Long> cookies, boolean retprobe) {
        return KprobeMultiAttach.withCookies(fd(), cookies, retprobe);
    }

    /**
     * As {@code attachKprobe(function)} (or, with {@code retprobe}, {@code attachKretprobe}), the link
     * carrying {@code options}' cookie, which the program reads with {@code bpf_get_attach_cookie(ctx)}
     * (a perf-event link's {@code bpf_cookie}, kernel 5.15+).
     *
     * @param function the kernel function to probe
     * @param retprobe {@code true} to run on the function's return rather than its entry
     * @param options the cookie ({@link AttachOptions#cookie}); a semaphore or a process are uprobes' alone
     * @return the attachment, which detaches when closed
     * @throws UnsupportedOperationException where the kernel has no kprobes
     * @throws IllegalArgumentException     for uprobe options, or a function the kernel cannot probe
     */
    default Link attachKprobe(String function, boolean retprobe, AttachOptions options) {
        return KprobeAttach.attach(fd(), function, retprobe, options);
    }

    /**
     * As {@code attachUprobe(binary, function)} (or, with {@code retprobe}, {@code attachUretprobe}) with
     * {@code options}: the link's cookie, a semaphore at a file offset that the kernel raises while the
     * probe is attached ({@code ref_ctr_offset}, as USDT probes' {@code .note.stapsdt} gives it), and one
     * process ({@link AttachOptions#withPid}), as libbpf's {@code bpf_uprobe_opts} give them.
     *
     * @param binary the ELF executable or shared library holding the function
     * @param function the function's symbol name
     * @param retprobe {@code true} to run on the function's return rather than its entry
     * @param options the cookie, semaphore and process
     * @return the attachment, which detaches when closed
     * @throws UnsupportedOperationException where the kernel has no uprobes
     * @throws IllegalArgumentException     where the file lacks the function, there is no such process, or the
     *                                      kernel refuses the probe or its semaphore
     */
    default Link attachUprobe(Path binary, String function, boolean retprobe, AttachOptions options) {
        return UprobeAttach.function(fd(), binary, function, retprobe, options);
    }

    /**
     * As {@code attachTracepoint(category, name)}, the link carrying {@code options}' cookie.
     *
     * @param category the tracepoint's category, e.g. {@code syscalls}
     * @param name the tracepoint's name within the category
     * @param options the cookie; a semaphore or a process are uprobes' alone
     * @return the attachment, which detaches when closed
     * @throws IllegalArgumentException for uprobe options, or a tracepoint the kernel lacks
     */
    default Link attachTracepoint(String category, String name, AttachOptions options) {
        return TracepointAttach.attach(fd(), category, name, options);
    }

    /**
     * As {@code attachTracing()}, for fentry, fexit, fmod_ret (6.0+) and tp_btf (6.10+) programs, the link
     * carrying {@code options}' cookie ({@code BPF_LINK_CREATE} with {@code link_create.tracing.cookie}).
     *
     * @param options the cookie; a semaphore or a process are uprobes' alone
     * @return the attachment, which detaches when closed
     * @throws IllegalArgumentException where the kernel takes the program with no cookie, or for uprobe options
     */
    default Link attachTracing(AttachOptions options) {
        return TracingAttach.attach(fd(), info().name(), options);
    }

    /**
     * Attaches this uprobe.multi program to exactly the functions of {@code binary} that {@code cookies}
     * names, in every process, through one uprobe_multi link (6.6+), each function with its cookie (the
     * map's value), which the program reads with {@code bpf_get_attach_cookie(ctx)}.
     *
     * @param binary the ELF executable or shared library
     * @param cookies each function's name and its cookie
     * @param retprobe {@code true} to run on the functions' returns rather than their entries
     * @return the one link over all of them, which detaches them all when closed
     * @throws UnsupportedOperationException where the kernel makes no uprobe_multi links
     * @throws IllegalArgumentException     where {@code cookies} is empty, or the file lacks one of the functions
     */
    default Link attachUprobeMulti(Path binary, SequencedMap<String, Long> cookies, boolean retprobe) {
        return UprobeMultiAttach.withCookies(fd(), binary, cookies, retprobe);
    }
}
