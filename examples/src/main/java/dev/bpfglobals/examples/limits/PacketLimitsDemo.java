package dev.bpfglobals.examples.limits;

import dev.bpfglobals.examples.PercpuMode;
import dev.bpfglobals.runtime.BpfProgram;
import dev.bpfglobals.runtime.PerCpuGlobals;
import dev.bpfglobals.runtime.PossibleCpus;
import dev.bpfglobals.runtime.object.BpfObject;
import dev.bpfglobals.runtime.object.LoadedObject;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * {@code .data} next to {@code .percpu}: Java sets the limit before load, the program enforces it
 * per packet, Java reads the per-CPU counts, then lifts the limit live through the mmapped {@code .data}.
 *
 * <p>Usage: {@code PacketLimitsDemo [path/to/packet_limits.bpf.o]}; without a path, the build
 * this kernel runs (native where it has native {@code .percpu} access, else compat).
 */
public final class PacketLimitsDemo {

    /** The limit set before load. */
    static final int LIMIT = 200;

    private PacketLimitsDemo() {
    }

    public static void main(String[] args) throws IOException {
        Path object = args.length > 0 ? Path.of(args[0])
                : PercpuMode.forThisKernel().object(PercpuMode.BUILD_DIRECTORY, "packet_limits");
        run(object, System.out);
    }

    /** Sends 10 short and 10 long packets with the limit, then 5 long ones without; returns the sum. */
    static PacketLimitsGlobals.PerCpuPart run(Path object, PrintStream out) throws IOException {
        MemorySegment data = MemorySegment.ofArray(new byte[PacketLimitsGlobals.DATA_VALUE_SIZE]);
        PacketLimitsGlobals.DATA.encode(new PacketLimitsGlobals.DataPart(LIMIT), data);
        BpfObject configured = BpfObject.open(object).withGlobalImage(".data", data.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
        try (LoadedObject loaded = LoadedObject.load(configured);
             PerCpuGlobals<PacketLimitsGlobals.PerCpuPart> counters = PacketLimitsGlobals.bind(loaded.percpuMap().orElseThrow());
             BpfProgram program = loaded.program("enforce_limit")) {
            int cpu = PossibleCpus.system().cpuAt(0);
            program.testRun(new byte[100], 10, cpu);
            program.testRun(new byte[300], 10, cpu);
            out.println("limit " + LIMIT + " set before load: " + counters.sum());
            MemorySegment live = loaded.globalData(".data");
            PacketLimitsGlobals.DATA.encode(new PacketLimitsGlobals.DataPart(0), live);
            program.testRun(new byte[300], 5, cpu);
            PacketLimitsGlobals.PerCpuPart sum = counters.sum();
            out.println("limit lifted live through the mmapped .data: " + sum);
            return sum;
        }
    }
}
