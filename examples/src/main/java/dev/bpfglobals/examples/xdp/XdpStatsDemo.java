package dev.bpfglobals.examples.xdp;

import dev.bpfglobals.runtime.BpfFeatures;
import dev.bpfglobals.runtime.BpfProgram;
import dev.bpfglobals.runtime.PerCpuArrayMap;
import dev.bpfglobals.runtime.PerCpuGlobals;
import dev.bpfglobals.runtime.PerCpuSnapshot;
import dev.bpfglobals.runtime.PossibleCpus;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The main demo: an XDP program counts packets in per-CPU globals declared by {@link XdpStats};
 * Java creates their {@code .percpu} map from the generated contract, runs the program on every
 * possible CPU with different packet sizes, and prints what each CPU counted.
 *
 * <p>Usage: {@code XdpStatsDemo [path/to/xdp_stats.bpf.o]}.
 */
public final class XdpStatsDemo {

    /** Runs on CPU at slot i: 100 * (i + 1) packets of 64 + 300 * i bytes. */
    static final int BASE_RUNS = 100;

    private XdpStatsDemo() {
    }

    public static void main(String[] args) throws Exception {
        Path object = Path.of(args.length > 0 ? args[0] : "examples/target/bpf/xdp_stats.bpf.o");
        if (!Files.isReadable(object)) {
            System.err.println("xdp-stats: no BPF object at " + object + "; build first (bin/demo does)");
            System.exit(2);
        }
        System.out.println("Kernel features:\n  " + BpfFeatures.probe().details().replace("\n", "\n  "));
        print(run(object));
    }

    /** Loads {@code object}, runs it on every possible CPU and returns what each CPU counted. */
    static PerCpuSnapshot<XdpStats> run(Path object) throws IOException, InterruptedException {
        BpfFeatures features = BpfFeatures.probe();
        Path pins = Files.createDirectories(Path.of("/sys/fs/bpf/bpfglobals-demo-" + ProcessHandle.current().pid()));
        Path mapPin = pins.resolve("percpu");
        Path programPin = pins.resolve("count_packets");
        MemorySegment initial = MemorySegment.ofArray(new byte[XdpStatsGlobals.PERCPU_VALUE_SIZE]);
        XdpStatsGlobals.encode(new XdpStats(0, 0, new long[8], 0), initial);
        try (PerCpuGlobals<XdpStats> globals = XdpStatsGlobals.bind(
                PerCpuArrayMap.create(XdpStatsGlobals.PERCPU.section(), initial, features))) {
            globals.map().pin(mapPin);
            BpftoolLoader.load(object, programPin, mapPin);
            try (BpfProgram program = BpfProgram.openPinned(programPin)) {
                PossibleCpus cpus = PossibleCpus.system();
                for (int slot = 0; slot < cpus.count(); slot++) {
                    program.testRun(new byte[packetSize(slot)], BASE_RUNS * (slot + 1), cpus.cpuAt(slot));
                }
            }
            PerCpuSnapshot<XdpStats> snapshot = globals.newSnapshot();
            globals.readAll(snapshot);
            return snapshot;
        } finally {
            cleanUp(pins);
        }
    }

    /** The packet size sent on the CPU of slot {@code slot}. */
    static int packetSize(int slot) {
        return 64 + 300 * slot;
    }

    private static void print(PerCpuSnapshot<XdpStats> snapshot) {
        System.out.printf("%n%-6s %10s %12s   %s%n", "CPU", "packets", "bytes", "size buckets (128 B each)");
        for (int cpu : snapshot.cpus().ids()) {
            StringBuilder buckets = new StringBuilder();
            for (int i = 0; i < 8; i++) {
                buckets.append(String.format("%6s", Long.toUnsignedString(XdpStatsGlobals.sizeBuckets(snapshot, cpu, i))));
            }
            System.out.printf("%-6d %10s %12s   %s%n", cpu, Long.toUnsignedString(XdpStatsGlobals.packets(snapshot, cpu)),
                    Long.toUnsignedString(XdpStatsGlobals.bytes(snapshot, cpu)), buckets);
        }
        XdpStats total = snapshot.sum();
        StringBuilder buckets = new StringBuilder();
        for (long bucket : total.sizeBuckets()) {
            buckets.append(String.format("%6s", Long.toUnsignedString(bucket)));
        }
        System.out.printf("%-6s %10s %12s   %s%n", "total", Long.toUnsignedString(total.packets()),
                Long.toUnsignedString(total.bytes()), buckets);
    }

    private static void cleanUp(Path pins) throws IOException {
        try (var entries = Files.list(pins)) {
            for (Path entry : entries.toList()) {
                Files.deleteIfExists(entry);
            }
        }
        Files.deleteIfExists(pins);
    }
}
