package dev.bpfglobals.cli;

import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * A command that failed: one line, {@code bpf-globals: MESSAGE}, on stderr and exit 1, never a
 * stack trace unless {@code --verbose} asks for one. The runtime's messages say what is wrong and
 * what to do; the few JDK exceptions whose message is only a path are given words here.
 */
final class Failures implements IExecutionExceptionHandler {

    /** Exit status of a command that failed (picocli's {@code ExitCode.SOFTWARE}). */
    static final int FAILED = 1;

    @Override
    public int handleExecutionException(Exception failure, CommandLine command, ParseResult parsed) {
        PrintWriter err = command.getErr();
        err.println("bpf-globals: " + Printable.message(describe(failure)));
        if (command.getCommandSpec().root().userObject() instanceof BpfGlobalsCli cli && cli.verbose()) {
            failure.printStackTrace(err);
        }
        err.flush();
        return FAILED;
    }

    /** What went wrong, in words: a {@code NoSuchFileException}'s message is the path alone. */
    static String describe(Exception failure) {
        return switch (failure) {
            case NoSuchFileException e -> "no such file: " + e.getFile();
            case AccessDeniedException e -> "permission denied: " + e.getFile();
            case FileSystemException e when e.getReason() != null -> e.getFile() + ": " + e.getReason();
            default -> failure.getMessage() == null || failure.getMessage().isBlank() ? failure.toString() : failure.getMessage();
        };
    }
}
