package dev.bpfglobals.examples.jvm;

import java.io.IOException;

/**
 * The JVM {@link JvmProbesDemoTest} traces: it warms up, says {@code ready}, waits for a line on
 * stdin (when the probes are in place), then starts and joins exactly {@code threads} threads and
 * calls {@code System.gc()} {@code gcs} times, and exits.
 */
public final class JvmWorkload {

    private JvmWorkload() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        int threads = Integer.parseInt(args[0]);
        int gcs = Integer.parseInt(args[1]);
        System.out.println("ready");
        System.out.flush();
        if (System.in.read() < 0) {
            System.exit(2);
        }
        for (int i = 0; i < threads; i++) {
            Thread thread = new Thread(() -> { }, "workload-" + i);
            thread.start();
            thread.join();
        }
        for (int i = 0; i < gcs; i++) {
            System.gc();
        }
        System.out.println("done");
    }
}
