package dev.bpfglobals.runtime;

import dev.bpfglobals.runtime.internal.Bpf;
import dev.bpfglobals.runtime.internal.Sys;
import dev.bpfglobals.runtime.kernel.BpfException;
import dev.bpfglobals.runtime.kernel.BpfFd;
import dev.bpfglobals.runtime.kernel.Errno;
import dev.bpfglobals.runtime.kernel.ProgramInfo;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

/**
 * A loaded BPF program, the owner of its file descriptor (see {@link BpfMap} for who closes what),
 * that can be run with {@code BPF_PROG_TEST_RUN} or attached: what a {@code ProgramSpec} becomes
 * when it is loaded. Get one from {@code LoadedObject.program(name)} (a new owner each time), or
 * open a pinned one.
 *
 * <p>Its {@code attach*} methods ({@link ProgramAttachments}) are the way to attach it: each
 * delegates to the attach class of its family in {@link dev.bpfglobals.runtime.attach} and returns a
 * {@link dev.bpfglobals.runtime.attach.Link}.
 */
public final class BpfProgram implements AutoCloseable, ProgramAttachments {

    private final BpfFd fd;

    private BpfProgram(BpfFd fd) {
        this.fd = fd;
    }

    /**
     * Opens the program pinned at {@code path}.
     *
     * @param path the pinned program's path on a bpffs mount
     * @return a new owner of the pinned program, to close
     * @throws IllegalArgumentException if what is pinned there is not a program (a map, a link)
     */
    public static BpfProgram openPinned(Path path) {
        BpfFd fd = Bpf.objGet(path.toString(), 0, "program " + path);
        String kind = Bpf.objectKind(fd);
        if (!kind.equals("program")) {
            fd.close();
            throw new IllegalArgumentException(path + " is a pinned " + kind + ", not a program");
        }
        return new BpfProgram(fd);
    }

    /**
     * Opens the program behind a file descriptor the caller owns, by duplicating it: the caller's
     * descriptor stays open and stays the caller's to close.
     *
     * @param fd an open program descriptor, which stays the caller's
     * @param name what to call the program in error messages
     * @return a new owner of the program, with a descriptor of its own
     */
    public static BpfProgram openFd(int fd, String name) {
        return new BpfProgram(BpfFd.duplicateOf(fd, "program " + name));
    }

    /**
     * Takes ownership of {@code fd}, a program's descriptor; the caller must not close it afterwards.
     *
     * @param fd the program's descriptor, from now on this program's
     * @return the program owning {@code fd}
     */
    public static BpfProgram adopt(BpfFd fd) {
        return new BpfProgram(java.util.Objects.requireNonNull(fd, "fd"));
    }

    /**
     * A second owner of this program, with a descriptor of its own.
     *
     * @return a new owner, to close independently of this one
     */
    public BpfProgram dup() {
        return new BpfProgram(fd.dup());
    }

    /**
     * This program's descriptor, lent: it stays this program's, which closes it (for interop).
     *
     * @return the descriptor, valid until this program is closed
     */
    public BpfFd fd() {
        return fd;
    }

    /**
     * Pins the program at {@code path} on a bpffs mount, so that it outlives this process's descriptors.
     *
     * @param path where to pin, on a bpffs mount; nothing may be pinned there yet
     */
    public void pin(Path path) {
        Bpf.pin(fd, path.toString());
    }

    /**
     * What one test run returned.
     *
     * @param returnValue what the program returned (its verdict, e.g. an XDP action or a tc verdict)
     * @param averageNanos the kernel's average time per run in nanoseconds, 0 where the kernel does not time the run
     */
    public record RunResult(int returnValue, int averageNanos) {
    }

    /**
     * Runs the program {@code repeat} times on {@code packet}, on CPU {@code cpu}: the calling thread
     * is pinned there for the run (the kernel runs test runs on the calling CPU) and then restored.
     *
     * @param packet the input the program runs on (its packet or context data)
     * @param repeat how many times to run it; the result's time is the average over the runs
     * @param cpu the CPU to run on, a possible CPU of this system
     * @return the program's return value and average run time
     */
    public RunResult testRun(byte[] packet, int repeat, int cpu) {
        fd.value(); // a closed program fails here, before the thread is pinned
        if (!PossibleCpus.system().contains(cpu)) {
            throw new IllegalArgumentException("CPU " + cpu + " is not a possible CPU (" + PossibleCpus.system() + ")");
        }
        byte[] saved = Sys.currentAffinity();
        int pinned = Sys.pinCurrentThread(cpu);
        if (pinned < 0) {
            throw new IllegalStateException("cannot pin this thread to CPU " + cpu + ": " + Errno.of(-pinned)
                    + " (is the CPU online and in this process's cpuset?)");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocateFrom(ValueLayout.JAVA_BYTE, packet);
            Bpf.TestRun run = Bpf.testRun(fd, data, repeat);
            return new RunResult(run.returnValue(), run.durationNanos());
        } finally {
            Sys.restoreAffinity(saved);
        }
    }

    /**
     * Runs this raw tracepoint program once on CPU {@code cpu} with {@code arguments} as the
     * tracepoint's arguments (its context), as mainline's selftests do with
     * {@code BPF_F_TEST_RUN_ON_CPU}: the kernel itself runs the program on that CPU, so the calling
     * thread is not pinned. The kernel takes this flag for raw tracepoint programs only, does not
     * time such runs ({@code averageNanos} is 0) and takes no repeat count.
     *
     * @param arguments the tracepoint's arguments, at most 12 (may be empty if the program reads none)
     * @param cpu       an online CPU
     * @return the program's return value; {@code averageNanos} is 0
     * @throws IllegalArgumentException if {@code cpu} is not a possible CPU
     * @throws BpfException naming the CPU; {@code ENXIO} when it is not online, {@code EINVAL} for a
     *                      program of another type or arguments the program reads past
     */
    public RunResult testRunOnCpu(long[] arguments, int cpu) {
        fd.value();
        if (!PossibleCpus.system().contains(cpu)) {
            throw new IllegalArgumentException("CPU " + cpu + " is not a possible CPU (" + PossibleCpus.system() + ")");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment context = arguments.length == 0 ? MemorySegment.NULL
                    : arena.allocateFrom(ValueLayout.JAVA_LONG, arguments);
            Bpf.TestRun run = Bpf.testRunContext(fd, context, Bpf.F_TEST_RUN_ON_CPU, cpu);
            return new RunResult(run.returnValue(), run.durationNanos());
        }
    }

    /**
     * Runs this SYSCALL program ({@code SEC("syscall")}, kernel 5.14+) once, as libbpf's
     * {@code bpf_prog_test_run_opts} runs one: the kernel runs it in this thread, in process context,
     * on a copy of {@code context} (the C struct its argument points to), and copies that back when
     * it returns, so {@code context} holds what the program wrote there. A syscall program may itself
     * call bpf(2) ({@code bpf_sys_bpf}), sleep, and read and write user memory.
     *
     * @param context the program's argument, read and written in place; may be empty if the program reads none
     * @return what the program returned
     * @throws BpfException naming the errno: {@code EINVAL} for a program of another type, or a context shorter
     *                      than the program reads or longer than 65535 bytes
     */
    public int run(byte[] context) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment segment = context.length == 0 ? MemorySegment.NULL : arena.allocateFrom(ValueLayout.JAVA_BYTE, context);
            Bpf.TestRun run = Bpf.testRunContext(fd, segment, 0, 0);
            if (context.length > 0) {
                MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, 0, context, 0, context.length);
            }
            return run.returnValue();
        }
    }

    /**
     * What the kernel says about this program: its id, name, size and the BTF it was loaded with.
     *
     * @return the kernel's current information about the program
     */
    public ProgramInfo info() {
        return Bpf.progInfo(fd);
    }

    /** Closes the program's fd; later calls do nothing. */
    @Override
    public void close() {
        fd.close();
    }
}
