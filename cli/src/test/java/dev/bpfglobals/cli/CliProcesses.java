package dev.bpfglobals.cli;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/** The CLI run as a process of its own, for tests of what outlives it or what a user's shell sees. */
final class CliProcesses {

    private CliProcesses() {
    }

    /** Starts {@code bpf-globals ARGS} as a child JVM with this one's class path and VM options. */
    static Process start(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow()));
        // The child runs as this JVM does: inside the emulated VM that means C1 only and no CDS.
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(option -> option.startsWith("-XX:") || option.startsWith("-Xshare")).forEach(command::add);
        command.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                BpfGlobalsCli.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).start();
    }
}
