package dev.bpfglobals.examples.xdp;

import dev.bpfglobals.contract.ContractReport;
import dev.bpfglobals.examples.PercpuMode;
import dev.bpfglobals.runtime.BpfFeatures;
import dev.bpfglobals.runtime.BpfProgram;
import dev.bpfglobals.runtime.LoadedObject;
import dev.bpfglobals.runtime.ObjectSpec;
import dev.bpfglobals.runtime.PerCpuGlobals;
import dev.bpfglobals.runtime.PerCpuSnapshot;
import dev.bpfglobals.runtime.PossibleCpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The main demo: an XDP program counts packets in per-CPU globals declared by {@link XdpStats}.
 * Java checks the object against the record's contract, loads it (no libbpf: the {@code .percpu}
 * section becomes one PERCPU_ARRAY map), runs the program on every possible CPU with different
 * packet sizes, and prints what each CPU counted.
 *
 * <p>Usage: {@code XdpStatsDemo [path/to/xdp_stats.bpf.o]}; without a path, the build this kernel
 * runs: {@code xdp_stats.native.bpf.o} where it has native {@code .percpu} access, else the compat one.
 */
public final class XdpStatsDemo {

    /** Runs on CPU at slot i: 100 * (i + 1) packets of 64 + 300 * i bytes. */
    static final int BASE_RUNS = 100;

    private XdpStatsDemo() {
    }

    public static void main(String[] args) throws Exception {
        PercpuMode mode = PercpuMode.forThisKernel();
        Path object = args.length > 0 ? Path.of(args[0]) : mode.object(PercpuMode.BUILD_DIRECTORY, "xdp_stats");
        if (!Files.isReadable(object)) {
            System.err.println("xdp-stats: no BPF object at " + object + "; build first (bin/demo does)");
            System.exit(2);
        }
        System.out.println("Kernel features:\n  " + BpfFeatures.probe().details().replace("\n", "\n  "));
        System.out.println("Loading " + object.getFileName() + (args.length > 0 ? "" : ": " + mode.description()));
        print(run(object));
    }

    /** Loads {@code object}, runs it on every possible CPU and returns what each CPU counted. */
    static PerCpuSnapshot<XdpStatsGlobals.PerCpuPart> run(Path object) throws IOException {
        ObjectSpec parsed = ObjectSpec.open(object);
        ContractReport drift = parsed.checkAgainst(XdpStatsGlobals.CONTRACT);
        if (!drift.matches()) {
            throw new IllegalStateException(drift.describeStaleObject(object.toString()));
        }
        try (LoadedObject loaded = LoadedObject.load(parsed);
             PerCpuGlobals<XdpStatsGlobals.PerCpuPart> globals = XdpStatsGlobals.bind(loaded.percpuMap().orElseThrow());
             BpfProgram program = loaded.program("count_packets")) {
            PossibleCpus cpus = PossibleCpus.system();
            for (int slot = 0; slot < cpus.count(); slot++) {
                program.testRun(new byte[packetSize(slot)], BASE_RUNS * (slot + 1), cpus.cpuAt(slot));
            }
            PerCpuSnapshot<XdpStatsGlobals.PerCpuPart> snapshot = globals.newSnapshot();
            globals.readAll(snapshot);
            return snapshot;
        }
    }

    /** The packet size sent on the CPU of slot {@code slot}. */
    static int packetSize(int slot) {
        return 64 + 300 * slot;
    }

    private static void print(PerCpuSnapshot<XdpStatsGlobals.PerCpuPart> snapshot) {
        System.out.printf("%n%-6s %10s %12s   %s%n", "CPU", "packets", "bytes", "size buckets (128 B each)");
        for (int cpu : snapshot.cpus().ids()) {
            StringBuilder buckets = new StringBuilder();
            for (int i = 0; i < 8; i++) {
                buckets.append(String.format("%6s", Long.toUnsignedString(XdpStatsGlobals.sizeBuckets(snapshot, cpu, i))));
            }
            System.out.printf("%-6d %10s %12s   %s%n", cpu, Long.toUnsignedString(XdpStatsGlobals.packets(snapshot, cpu)),
                    Long.toUnsignedString(XdpStatsGlobals.bytes(snapshot, cpu)), buckets);
        }
        XdpStatsGlobals.PerCpuPart total = snapshot.sum();
        StringBuilder buckets = new StringBuilder();
        for (long bucket : total.sizeBuckets()) {
            buckets.append(String.format("%6s", Long.toUnsignedString(bucket)));
        }
        System.out.printf("%-6s %10s %12s   %s%n", "total", Long.toUnsignedString(total.packets()),
                Long.toUnsignedString(total.bytes()), buckets);
    }

}
