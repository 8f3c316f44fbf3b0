package dev.bpfglobals.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
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
        description = {"Inspects, checks, loads, runs, dumps and exports BPF global variables; generates Java for BPF objects.",
                "",
                "For BPF objects whose globals a Java record declares, .percpu sections included, which"
                + " bpftool cannot load."},
        footer = {"", "Exit status: 0 done, 1 the command failed, 2 usage error.", "", "Example:",
                "  bpf-globals help load"})
public final class BpfGlobalsCli implements Runnable, SpecReceiver {

    /** The commands, in the order help lists them ({@link #command} makes each). */
    private static final String[] COMMANDS = {"inspect", "check", "features", "load", "attach", "detach", "run", "dump", "export", "gen", "help",
        "completion"};

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

    @Override
    public void receiveSpec(CommandSpec model) {
        this.spec = model;
    }

    /**
     * Runs the tool and exits with its status. On success it returns rather than calling
     * {@link System#exit}: since JDK 21 an exit sets up {@code System.Logger} (for its runtime.exit
     * event), whose backend lookup scans every jar on the class path, 11-16 ms of a 50 ms command.
     * No command leaves a thread running once it has returned, so the JVM ends as soon as this does.
     *
     * @param args the command line, without the program name
     */
    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /** Runs one command with output to {@code out} and {@code err}; returns the exit code. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        PrintWriter outWriter = new PrintWriter(out, true, StandardCharsets.UTF_8);
        PrintWriter errWriter = new PrintWriter(err, true, StandardCharsets.UTF_8);
        CommandLine cli = commandLine(outWriter, errWriter, args.length > 0 ? args[0] : "");
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
        return commandLine(out, err, "");
    }

    /**
     * The tool's command line for arguments that start with {@code first}: when that names a command
     * (other than help and completion, which describe the others), with that command alone. picocli
     * reads every command's options and help by reflection when it is added, which for all nine was
     * about a quarter of a cold {@code inspect}'s CPU time (docs/benchmarks.md#cold-start).
     */
    private static CommandLine commandLine(PrintWriter out, PrintWriter err, String first) {
        // Models from the file the build wrote, not from annotations: CommandModels says why.
        CommandLine cli = new CommandLine(CommandModels.of(new BpfGlobalsCli()));
        boolean one = !first.equals("help") && !first.equals("completion") && List.of(COMMANDS).contains(first);
        for (String name : one ? new String[] {first} : COMMANDS) {
            cli.addSubcommand(CommandModels.of(command(name)));
        }
        // picocli's own Path converter calls Paths.get by reflection, which spins method-handle
        // classes no AOT cache holds (3 of them, a few ms of a cold command); this is the same call.
        cli.registerConverter(Path.class, Path::of);
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

    /** The names of the commands, in the order help lists them. */
    static List<String> commandNames() {
        return List.of(COMMANDS);
    }

    /** A new instance of command {@code name}, one of {@link #COMMANDS}. */
    static Object command(String name) {
        return switch (name) {
            case "inspect" -> new InspectCommand();
            case "check" -> new CheckCommand();
            case "features" -> new FeaturesCommand();
            case "load" -> new LoadCommand();
            case "attach" -> new AttachCommand();
            case "detach" -> new DetachCommand();
            case "run" -> new RunCommand();
            case "dump" -> new DumpCommand();
            case "export" -> new ExportCommand();
            case "gen" -> new GenCommand();
            case "help" -> new CommandLine.HelpCommand();
            case "completion" -> new CompletionCommand();
            default -> throw new IllegalArgumentException("no command " + name);
        };
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
