package dev.bpfglobals.runtime.attach;

import dev.bpfglobals.runtime.internal.Bpf;
import dev.bpfglobals.runtime.internal.kernelenv.PerfEvents;
import dev.bpfglobals.runtime.kernel.BpfFd;

/**
 * Attaches TRACEPOINT programs ({@code tracepoint/CATEGORY/NAME}, {@code tp/CATEGORY/NAME}) through
 * a perf event with the id tracefs gives the tracepoint, and RAW_TRACEPOINT programs
 * ({@code raw_tp/NAME}, {@code raw_tracepoint/NAME}) with {@code BPF_RAW_TRACEPOINT_OPEN}.
 */
public final class TracepointAttach {

    private TracepointAttach() {
    }

    /**
     * Attaches {@code program} to tracepoint {@code category/name}, e.g. {@code syscalls/sys_enter_getpid}.
     *
     * @param program the program's descriptor, which stays the caller's
     * @param category the tracepoint's category (its tracefs directory), e.g. {@code syscalls}
     * @param name the tracepoint's name within the category
     * @return the attachment, which detaches when closed
     * @throws UnsupportedOperationException where no tracefs is mounted, naming the mount command
     * @throws IllegalArgumentException     where the kernel has no such tracepoint
     */
    public static Link attach(BpfFd program, String category, String name) {
        return attach(program, category, name, AttachOptions.NONE);
    }

    /**
     * As {@link #attach(BpfFd, String, String)}, the link carrying {@code options}' cookie.
     *
     * @param program the program's descriptor, which stays the caller's
     * @param category the tracepoint's category, e.g. {@code syscalls}
     * @param name the tracepoint's name within the category
     * @param options the cookie (a semaphore or a process are uprobes' alone)
     * @return the attachment, which detaches when closed
     * @throws IllegalArgumentException for a semaphore or a process in {@code options}, or no such tracepoint
     */
    public static Link attach(BpfFd program, String category, String name, AttachOptions options) {
        String what = "tracepoint " + category + "/" + name;
        options.requireNoUprobeOptions(what);
        return PerfEventAttach.onEvent(program, what, PerfEvents.tracepoint(category, name), options.cookie());
    }

    /**
     * Attaches raw tracepoint {@code program} to raw tracepoint {@code name}, e.g. {@code sys_enter}.
     *
     * @param program the program's descriptor, which stays the caller's
     * @param name the raw tracepoint's name
     * @return the attachment, which detaches when closed
     */
    public static Link raw(BpfFd program, String name) {
        return Link.of("raw tracepoint " + name, Bpf.rawTracepointOpen(name, program));
    }
}
