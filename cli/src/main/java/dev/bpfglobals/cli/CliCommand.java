package dev.bpfglobals.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What every command shares: where to write, and how to refuse a command line picocli accepted but
 * the command cannot use (a missing option it cannot mark required, a value out of range). A
 * command's {@link #call} returns its exit code; an exception it throws becomes one line
 * ({@link Failures}).
 */
abstract class CliCommand implements Callable<Integer>, SpecReceiver {

    @Spec
    private CommandSpec spec;

    @Override
    public final void receiveSpec(CommandSpec model) {
        this.spec = model;
    }

    /** This command's picocli model: its name, options, parent and root. */
    protected final CommandSpec spec() {
        return spec;
    }

    /** Where results go (stdout, or the caller's stream). */
    protected final PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** Where warnings go (stderr, or the caller's stream). */
    protected final PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** A usage error (exit 2) saying {@code problem}, for the caller to throw; {@link UsageErrors} adds the synopsis. */
    protected final ParameterException usage(String problem) {
        return new ParameterException(spec.commandLine(), problem);
    }
}
