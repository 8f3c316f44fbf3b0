package dev.bpfglobals.examples.jvm;

import dev.bpfglobals.examples.PercpuMode;
import dev.bpfglobals.runtime.BpfProgram;
import dev.bpfglobals.runtime.PerCpuGlobals;
import dev.bpfglobals.runtime.attach.Link;
import dev.bpfglobals.runtime.LoadedObject;
import dev.bpfglobals.runtime.ObjectSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Traces the JVM through its own USDT probes: HotSpot's {@code thread__start}, {@code gc__begin}
 * and {@code gc__end} in the {@code libjvm.so} of the JDK this runs on, counted per CPU in the
 * {@link JvmProbes} record's {@code .percpu} globals, GC pauses in a log2 histogram, for one JVM
 * (its pid) or every JVM of this JDK.
 *
 * <p>Usage: {@code JvmProbesDemo [pid (default: every JVM of this JDK)] [seconds (default 5)] [path/to/jvm_probes.bpf.o]
 * [pin path for the .percpu map]}; with a pin path, {@code bpf-globals export} can serve the counters and
 * the histogram while the demo runs (the pin is removed when it ends).
 */
public final class JvmProbesDemo {

    /** The {@code libjvm.so} of the JDK this JVM runs on, whose {@code .note.stapsdt} lists HotSpot's probes. */
    public static final Path LIBJVM = Path.of(System.getProperty("java.home"), "lib", "server", "libjvm.so");

    private JvmProbesDemo() {
    }

    public static void main(String[] args) throws Exception {
        int pid = args.length > 0 ? Integer.parseInt(args[0]) : -1;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path object = args.length > 2 ? Path.of(args[2]) : PercpuMode.forThisKernel().object(PercpuMode.BUILD_DIRECTORY, "jvm_probes");
        if (seconds < 1 || !Files.isReadable(object)) {
            System.err.println("jvm-probes: usage: JvmProbesDemo [pid] [seconds >= 1] [jvm_probes.bpf.o]; no object at " + object);
            System.exit(2);
        }
        try (Tracing tracing = Tracing.start(object, LIBJVM, pid)) {
            if (args.length > 3) {
                tracing.loaded.pinMap(JvmProbesGlobals.PERCPU_SECTION, Path.of(args[3]));
            }
            for (int second = 1; second <= seconds; second++) {
                // This JVM's own thread and pause, seen where every JVM (or this one) is traced.
                Thread thread = new Thread(() -> { }, "jvm-probes-" + second);
                thread.start();
                thread.join();
                System.gc();
                Thread.sleep(1000);
                print(tracing.sum(), second, System.out);
            }
        } finally {
            if (args.length > 3) {
                Files.deleteIfExists(Path.of(args[3]));
            }
        }
    }

    /** One line of totals and the histogram's non-empty buckets. */
    static void print(JvmProbesGlobals.PerCpuPart sum, int second, PrintStream out) {
        out.printf("after %ds: threads started %d, GC pauses begun %d, ended %d; pauses (ns):", second,
                sum.threadsStarted(), sum.gcBegins(), sum.gcEnds());
        long[] buckets = sum.gcPauseNs();
        for (int i = 0; i < buckets.length; i++) {
            if (buckets[i] > 0) {
                out.printf(" <=2^%d: %d", i, buckets[i]);
            }
        }
        out.println();
    }

    /** HotSpot's probes attached; closing detaches them and closes the object. */
    static final class Tracing implements AutoCloseable {
        private final LoadedObject loaded;
        private final PerCpuGlobals<JvmProbesGlobals.PerCpuPart> globals;
        private final List<Link> links = new ArrayList<>();

        private Tracing(LoadedObject loaded) {
            this.loaded = loaded;
            this.globals = JvmProbesGlobals.bind(loaded.percpuMap().orElseThrow());
        }

        /** Loads {@code object} and attaches its three programs to {@code libjvm}, in process {@code pid} or (-1) every process. */
        static Tracing start(Path object, Path libjvm, int pid) throws IOException {
            Tracing tracing = new Tracing(LoadedObject.load(ObjectSpec.open(object)));
            try {
                // The probes run in every process of the attach; the global keeps the counts to the pid's.
                JvmProbesGlobals.bindData(tracing.loaded).targetPid(Math.max(pid, 0));
                tracing.attach("thread_start", libjvm, "thread__start", pid);
                tracing.attach("gc_begin", libjvm, "gc__begin", pid);
                tracing.attach("gc_end", libjvm, "gc__end", pid);
                return tracing;
            } catch (RuntimeException e) {
                tracing.close();
                throw e;
            }
        }

        private void attach(String program, Path libjvm, String probe, int pid) {
            try (BpfProgram handler = loaded.program(program)) {
                links.add(handler.attachUsdt(libjvm, "hotspot", probe, pid));
            }
        }

        /** The counts of every CPU added up. */
        JvmProbesGlobals.PerCpuPart sum() {
            return globals.sum();
        }

        @Override
        public void close() {
            links.forEach(Link::close);
            globals.close();
            loaded.close();
        }
    }
}
