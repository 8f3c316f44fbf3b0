package dev.bpfglobals.examples.limits;

import dev.bpfglobals.examples.PercpuMode;
import dev.bpfglobals.runtime.BpfProgram;
import dev.bpfglobals.runtime.LoadedObject;
import dev.bpfglobals.runtime.ObjectSpec;
import dev.bpfglobals.runtime.PerCpuGlobals;
import dev.bpfglobals.runtime.PossibleCpus;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * {@code .data} next to {@code .percpu}: Java sets the limit before load, the program enforces it
 * per packet, Java reads the per-CPU counts, then lifts the limit live with the generated typed view of the
 * mmapped {@code .data} ({@code bindData}), which writes that one variable in place.
 *
 * <p>Usage: {@code PacketLimitsDemo [path/to/packet_limits.bpf.o]}; without a path, the build
 * this kernel runs (native where it has native {@code .percpu} access, else compat).
 */
public final class PacketLimitsDemo {

    /** The limit set before load. */
    static final int LIMIT = 200;
    /** The limit set live, which lets the long packets through. */
    static final int LIFTED_LIMIT = 400;

    private PacketLimitsDemo() {
    }

    public static void main(String[] args) throws IOException {
        Path object = args.length > 0 ? Path.of(args[0])
                : PercpuMode.forThisKernel().object(PercpuMode.BUILD_DIRECTORY, "packet_limits");
        run(object, System.out);
    }

    /** Sends 10 short and 10 long packets with the limit, then 5 long ones under the lifted limit; returns the sum. */
    static PacketLimitsGlobals.PerCpuPart run(Path object, PrintStream out) throws IOException {
        // Before load the section is an image: encode (which zero-fills the padding) is the right tool.
        MemorySegment image = MemorySegment.ofArray(new byte[PacketLimitsGlobals.DATA_VALUE_SIZE]);
        PacketLimitsGlobals.DATA.encode(new PacketLimitsGlobals.DataPart(LIMIT), image);
        ObjectSpec configured = ObjectSpec.open(object).withGlobalImage(".data", image.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
        try (LoadedObject loaded = LoadedObject.load(configured);
             PerCpuGlobals<PacketLimitsGlobals.PerCpuPart> counters = PacketLimitsGlobals.bind(loaded.percpuMap().orElseThrow());
             BpfProgram program = loaded.program("enforce_limit")) {
            int cpu = PossibleCpus.system().cpuAt(0);
            program.testRun(new byte[100], 10, cpu);
            program.testRun(new byte[300], 10, cpu);
            out.println("limit " + LIMIT + " set before load: " + counters.sum());
            // One 4-byte store into the mmapped .data: the program sees 200, then 400, and nothing in between.
            PacketLimitsGlobals.DataView data = PacketLimitsGlobals.bindData(loaded);
            data.maxLength(LIFTED_LIMIT);
            program.testRun(new byte[300], 5, cpu);
            PacketLimitsGlobals.PerCpuPart sum = counters.sum();
            out.println("limit lifted live to " + data.maxLength() + " through the mmapped .data: " + sum);
            return sum;
        }
    }
}
