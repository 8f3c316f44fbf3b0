package dev.bpfglobals.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** {@code bpf-globals export ...} parsed as the tool parses it, but started without blocking: the tests scrape it, then close it. */
final class ExportCommands {

    private ExportCommands() {
    }

    /** The running exporter for {@code words} ({@code "export", ...}), or null after printing a usage error to {@code err}. */
    static ExportCommand.Running start(List<String> words, PrintStream out, PrintStream err) throws IOException {
        PrintWriter outWriter = new PrintWriter(out, true);
        PrintWriter errWriter = new PrintWriter(err, true);
        CommandLine cli = BpfGlobalsCli.commandLine(outWriter, errWriter);
        String[] args = words.toArray(String[]::new);
        try {
            CommandLine.ParseResult parsed = cli.parseArgs(args);
            return ((ExportCommand) parsed.subcommand().commandSpec().userObject()).start();
        } catch (ParameterException problem) {
            new UsageErrors().handleParseException(problem, args);
            return null;
        } finally {
            outWriter.flush();
            errWriter.flush();
        }
    }
}
