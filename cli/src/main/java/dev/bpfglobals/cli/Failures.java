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

    /**
     * An {@link Error} out of a command, which picocli lets through: one line too (an input too
     * large or too deep for this JVM is still bad input), the stack trace only with {@code --verbose}.
     */
    static int handleError(Error failure, CommandLine command) {
        PrintWriter err = command.getErr();
        err.println("bpf-globals: " + Printable.message(describe(failure)));
        if (command.getCommandSpec().userObject() instanceof BpfGlobalsCli cli && cli.verbose()) {
            failure.printStackTrace(err);
        }
        err.flush();
        return FAILED;
    }

    /** An {@link Error} in words, and what to do about it. */
    static String describe(Error failure) {
        return switch (failure) {
            case OutOfMemoryError e -> "out of memory (" + e.getMessage() + "): the input is too large for this JVM's heap;"
                    + " give a smaller one, or a larger heap (java -Xmx)";
            case StackOverflowError e -> "out of stack: the input nests too deeply for this JVM (java -Xss raises the limit)";
            default -> "internal error: " + failure + " (--verbose prints the stack trace for a bug report)";
        };
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
