package dev.bpfglobals.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code bpf-globals}: the command-line tool, one picocli command class per subcommand. Errors are
 * one line on stderr, {@code bpf-globals: ...}, and exit 1 ({@link Failures}); a usage error names
 * the nearest valid command or option and exits 2 ({@link UsageErrors}); {@code --verbose} adds the
 * stack trace. docs/cli.md holds every command's {@code --help}, which {@code CliReferenceTest} keeps in step.
 */
@Command(name = "bpf-globals", mixinStandardHelpOptions = true, versionProvider = Version.class,
        customSynopsis = "bpf-globals COMMAND [OPTION]... [ARGUMENT]...",
        description = {"Inspects, checks, loads, runs, dumps and exports BPF global variables.",
                "",
                "For BPF objects whose globals a Java record declares, .percpu sections included, which"
                + " bpftool cannot load."},
        subcommands = {InspectCommand.class, CheckCommand.class, FeaturesCommand.class, LoadCommand.class,
                AttachCommand.class, DetachCommand.class,
                RunCommand.class, DumpCommand.class, ExportCommand.class, CommandLine.HelpCommand.class,
                CompletionCommand.class},
        footer = {"", "Exit status: 0 done, 1 the command failed, 2 usage error.", "", "Example:",
                "  bpf-globals help load"})
public final class BpfGlobalsCli implements Runnable {

    /** Width of every help text: fixed, so that docs/cli.md holds exactly what a terminal shows. */
    static final int HELP_WIDTH = 80;

    @Spec
    private CommandSpec spec;

    /** Inherited by every command, so that it is accepted anywhere on the line; set here wherever given. */
    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "On failure, print the stack trace too.")
    private boolean verbose;

    /** Not for callers: {@link #main} is the tool's one entry point. */
    public BpfGlobalsCli() {
    }

    /**
     * Runs the tool and exits with its status.
     *
     * @param args the command line, without the program name
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command with output to {@code out} and {@code err}; returns the exit code. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        PrintWriter outWriter = new PrintWriter(out, true, StandardCharsets.UTF_8);
        PrintWriter errWriter = new PrintWriter(err, true, StandardCharsets.UTF_8);
        CommandLine cli = commandLine(outWriter, errWriter);
        try {
            return cli.execute(args);
        } catch (Error e) {
            // picocli hands only Exceptions to Failures; an Error (OutOfMemoryError, StackOverflowError) is one line too.
            return Failures.handleError(e, cli);
        } finally {
            outWriter.flush();
            errWriter.flush();
        }
    }

    /** The tool's command line, configured as every entry point uses it, writing to {@code out} and {@code err}. */
    static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new BpfGlobalsCli());
        // Help without colour: what a terminal shows is what docs/cli.md holds, and names stay escaped.
        cli.setColorScheme(Help.defaultColorScheme(Help.Ansi.OFF));
        cli.setUsageHelpWidth(HELP_WIDTH);
        cli.setUsageHelpLongOptionsMaxWidth(30);
        headings(cli);
        // An argument starting with @ is a file name here (a pin, an object), not an argument file.
        cli.setExpandAtFiles(false);
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler(new UsageErrors());
        cli.setExecutionExceptionHandler(new Failures());
        return cli;
    }

    /** The same section headings in every command's help, set here rather than on each command. */
    private static void headings(CommandLine command) {
        command.getCommandSpec().usageMessage().descriptionHeading("%n").parameterListHeading("%nArguments:%n")
                .optionListHeading("%nOptions:%n").commandListHeading("%nCommands:%n");
        command.getSubcommands().values().forEach(BpfGlobalsCli::headings);
    }

    /** Whether {@code --verbose} was given: failures then print their stack trace. */
    boolean verbose() {
        return verbose;
    }

    /** {@code bpf-globals} with no command: a usage error, which lists the commands. */
    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "no command given");
    }
}
