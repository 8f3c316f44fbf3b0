package dev.bpfglobals.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The training run of the tool's ahead-of-time cache (JDK 25, JEP 483/515): runs several commands in
 * one JVM, so that the cache the JVM writes at exit ({@code -XX:AOTCacheOutput}) holds the classes,
 * linked lambdas and method profiles of all of them. Commands are separated by {@code --then};
 * each one's output is discarded and its exit code printed, one line each. The build runs it
 * (src/main/dist/assemble.sh); it is not part of the tool's interface.
 */
public final class AotTraining {

    private static final String SEPARATOR = "--then";

    private AotTraining() {
    }

    /**
     * Runs each command in turn.
     *
     * @param args commands for {@code bpf-globals}, separated by {@code --then}
     */
    public static void main(String[] args) {
        PrintStream discard = new PrintStream(OutputStream.nullOutputStream(), true);
        for (List<String> command : commands(args)) {
            int status = BpfGlobalsCli.run(command.toArray(String[]::new), discard, discard);
            System.out.println("bpf-globals: trained the AOT cache on `" + String.join(" ", command) + "` (exit " + status + ")");
        }
    }

    private static List<List<String>> commands(String[] args) {
        List<List<String>> commands = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= args.length; i++) {
            if (i == args.length || args[i].equals(SEPARATOR)) {
                if (i > start) {
                    commands.add(Arrays.asList(args).subList(start, i));
                }
                start = i + 1;
            }
        }
        return commands;
    }
}
