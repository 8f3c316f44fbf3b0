package dev.bpfglobals.runtime.attach;

/**
 * What a caller adds to a kprobe, uprobe, tracepoint or fentry/fexit attach, as libbpf's
 * {@code bpf_kprobe_opts}, {@code bpf_uprobe_opts}, {@code bpf_tracepoint_opts} and
 * {@code bpf_trace_opts} do: a {@code bpf_cookie} the program reads with
 * {@code bpf_get_attach_cookie(ctx)}, and, for uprobes alone, a semaphore and one process.
 *
 * @param cookie       the link's {@code bpf_cookie}, any 64-bit value; 0 where the caller sets none.
 *                     Perf-event links (kprobes, uprobes, tracepoints) carry one from kernel 5.15,
 *                     fentry/fexit/fmod_ret links from 6.0
 * @param refCtrOffset for a uprobe, the file offset of a USDT-style semaphore (a 2-byte counter the
 *                     kernel raises while the probe is attached, {@code ref_ctr_offset}, 4.20+); 0 for none
 * @param pid          for a uprobe, the one process it fires in; -1 for every process that runs the file
 */
public record AttachOptions(long cookie, long refCtrOffset, int pid) {

    /** No cookie, no semaphore, every process. */
    public static final AttachOptions NONE = new AttachOptions(0, 0, -1);

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException for a negative semaphore offset, or a process id below -1 or 0
     */
    public AttachOptions {
        if (refCtrOffset < 0) {
            throw new IllegalArgumentException("a semaphore's file offset (ref_ctr_offset) is 0 or positive, not " + refCtrOffset);
        }
        if (pid == 0 || pid < -1) {
            throw new IllegalArgumentException("a process id is positive, or -1 for every process, not " + pid);
        }
    }

    /**
     * Options with {@code cookie} alone.
     *
     * @param cookie the link's {@code bpf_cookie}
     * @return the options
     */
    public static AttachOptions cookie(long cookie) {
        return new AttachOptions(cookie, 0, -1);
    }

    /**
     * These options with the uprobe semaphore at file offset {@code offset}.
     *
     * @param offset the semaphore's file offset in the probed file (as {@code .note.stapsdt} gives it, less its base)
     * @return the new options
     */
    public AttachOptions withRefCtrOffset(long offset) {
        return new AttachOptions(cookie, offset, pid);
    }

    /**
     * These options for one process's uprobe.
     *
     * @param processId the process, positive
     * @return the new options
     */
    public AttachOptions withPid(int processId) {
        return new AttachOptions(cookie, refCtrOffset, processId);
    }

    /** Refuses a semaphore or a process on an attach that is no uprobe. */
    void requireNoUprobeOptions(String what) {
        if (refCtrOffset != 0 || pid != -1) {
            throw new IllegalArgumentException(what + ": a semaphore (ref_ctr_offset " + refCtrOffset + ") and a process (pid "
                    + pid + ") are uprobe options; this attach takes a cookie alone");
        }
    }
}
