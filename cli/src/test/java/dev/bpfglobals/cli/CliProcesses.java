package dev.bpfglobals.cli;

import dev.bpfglobals.runtime.testing.ChildJvms;
import java.util.List;

/** The CLI run as a process of its own, for tests of what outlives it or what a user's shell sees. */
final class CliProcesses {

    private CliProcesses() {
    }

    /** Starts {@code bpf-globals ARGS} as a child JVM with this one's class path and VM options. */
    static Process start(String... args) throws Exception {
        List<String> command = ChildJvms.java();
        command.add(BpfGlobalsCli.class.getName());
        command.addAll(List.of(args));
        return new ProcessBuilder(command).start();
    }
}
