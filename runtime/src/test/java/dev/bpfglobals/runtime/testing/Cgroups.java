package dev.bpfglobals.runtime.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * cgroup v2 directories of a test's own, and child processes that move themselves into one before
 * they act, so that the test JVM itself never changes cgroup. Names are unique per JVM and call
 * ({@code bpfglobals-PURPOSE-PID-N}), so tests of parallel runs never share one.
 */
public final class Cgroups {

    private static final AtomicInteger MADE = new AtomicInteger();

    private Cgroups() {
    }

    /** A new, empty cgroup under the cgroup2 mount, for {@link #remove} after the test. */
    public static Path create(String purpose) throws IOException {
        return Files.createDirectory(mount().resolve("bpfglobals-" + purpose + "-" + ProcessHandle.current().pid() + "-"
                + MADE.incrementAndGet()));
    }

    /** Removes {@code cgroup}, empty once its children have exited. */
    public static void remove(Path cgroup) throws IOException {
        if (cgroup != null) {
            Files.deleteIfExists(cgroup);
        }
    }

    /**
     * Runs {@code script} in a Python 3 child that first writes its own pid to {@code cgroup}'s
     * {@code cgroup.procs} (its {@code sys.argv[1]}; {@code arguments} follow), and checks that it exits 0.
     *
     * @return what the child printed
     */
    public static String runPythonInside(Path cgroup, String script, String... arguments) throws IOException, InterruptedException {
        String prologue = "import os, sys\nwith open(sys.argv[1], 'w') as procs:\n    procs.write(str(os.getpid()))\n";
        List<String> command = new ArrayList<>(List.of("/usr/bin/python3", "-c", prologue + script,
                cgroup.resolve("cgroup.procs").toString()));
        command.addAll(List.of(arguments));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes());
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("the child exits").isTrue();
        assertThat(child.exitValue()).as(output).isZero();
        return output;
    }

    /**
     * Where cgroup2 is mounted; where it is not (this project's VM guests boot without it), it is
     * mounted at /sys/fs/cgroup as root's shell would: mount -t cgroup2 none /sys/fs/cgroup.
     */
    public static synchronized Path mount() throws IOException {
        Optional<Path> mounted = Files.readAllLines(Path.of("/proc/self/mounts")).stream().map(line -> line.split(" "))
                .filter(fields -> fields[2].equals("cgroup2")).map(fields -> Path.of(fields[1])).findFirst();
        if (mounted.isPresent()) {
            return mounted.get();
        }
        Path root = Path.of("/sys/fs/cgroup");
        try {
            Process mount = new ProcessBuilder("mount", "-t", "cgroup2", "none", root.toString()).inheritIO().start();
            if (mount.waitFor() != 0) {
                throw new AssertionError("no cgroup2 file system is mounted, and mount -t cgroup2 none " + root + " failed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while mounting cgroup2", e);
        }
        return root;
    }
}
