package dev.bpfglobals.examples.jvm;

import java.io.IOException;
import java.util.List;

/**
 * A JVM for the probes to trace, as the tests of {@link JvmProbesDemo} and of the CLI run it: it warms up, says {@code ready}, waits for a line on
 * stdin (when the probes are in place), then starts and joins exactly {@code threads} threads and
 * calls {@code System.gc()} {@code gcs} times, and exits.
 */
public final class JvmWorkload {

    private JvmWorkload() {
    }

    /**
     * What follows {@code java} and its class path to run this workload: no compiler threads come and go
     * while it runs, so the only threads it starts are its own.
     *
     * @param threads the number of threads to start
     * @param gcs the number of {@code System.gc()} calls
     * @return the option, this class's name and its two arguments
     */
    public static List<String> arguments(int threads, int gcs) {
        return List.of("-XX:-UseDynamicNumberOfCompilerThreads", JvmWorkload.class.getName(),
                Integer.toString(threads), Integer.toString(gcs));
    }

    /**
     * Runs the workload.
     *
     * @param args the number of threads to start, then the number of {@code System.gc()} calls
     * @throws IOException where stdin cannot be read
     * @throws InterruptedException where a thread is interrupted while joining one it started
     */
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
