package dev.bpfglobals.examples.syscalls;

import dev.bpfglobals.examples.PercpuMode;
import dev.bpfglobals.runtime.BpfProgram;
import dev.bpfglobals.runtime.LoadedObject;
import dev.bpfglobals.runtime.ObjectSpec;
import dev.bpfglobals.runtime.PerCpuGlobals;
import dev.bpfglobals.runtime.PerCpuSnapshot;
import dev.bpfglobals.runtime.attach.Link;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Real kernel activity: a raw tracepoint on {@code sys_enter} counts every system call on every
 * CPU; Java refreshes a per-CPU table once a second, then prints totals.
 *
 * <p>Usage: {@code SyscallTopDemo [seconds (default 5)] [path/to/syscall_top.bpf.o]};
 * without a path, the build this kernel runs (native where it has native {@code .percpu} access, else compat).
 */
public final class SyscallTopDemo {

    private SyscallTopDemo() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Path object = args.length > 1 ? Path.of(args[1])
                : PercpuMode.forThisKernel().object(PercpuMode.BUILD_DIRECTORY, "syscall_top");
        if (seconds < 1 || !Files.isReadable(object)) {
            System.err.println("syscall-top: usage: SyscallTopDemo [seconds >= 1] [syscall_top.bpf.o]; no object at " + object);
            System.exit(2);
        }
        run(object, seconds, System.out);
    }

    /** Counts for {@code seconds}, printing a table each second, and returns the final counts. */
    static PerCpuSnapshot<SyscallTopGlobals.PerCpuPart> run(Path object, int seconds, PrintStream out) throws IOException, InterruptedException {
        try (LoadedObject loaded = LoadedObject.load(ObjectSpec.open(object));
             PerCpuGlobals<SyscallTopGlobals.PerCpuPart> globals = SyscallTopGlobals.bind(loaded.percpuMap().orElseThrow());
             BpfProgram program = loaded.program("count_syscalls");
             Link link = program.attachRawTracepoint("sys_enter")) {
            PerCpuSnapshot<SyscallTopGlobals.PerCpuPart> snapshot = globals.newSnapshot();
            for (int second = 1; second <= seconds; second++) {
                Thread.sleep(1000);
                globals.readAll(snapshot);
                out.printf("after %ds:", second);
                for (int cpu : snapshot.cpus().ids()) {
                    out.printf("  cpu%d %,d", cpu, SyscallTopGlobals.total(snapshot, cpu));
                }
                out.printf("  total %,d%n", SyscallTopGlobals.totalSum(snapshot));
            }
            SyscallTopGlobals.PerCpuPart sum = snapshot.sum();
            out.println("busiest syscalls (number: calls):");
            IntStream.range(0, sum.bySyscall().length).boxed()
                    .sorted(Comparator.comparingLong((Integer n) -> sum.bySyscall()[n]).reversed())
                    .limit(5).filter(n -> sum.bySyscall()[n] > 0)
                    .forEach(n -> out.printf("  %3d: %,d%n", n, sum.bySyscall()[n]));
            return snapshot;
        }
    }
}
