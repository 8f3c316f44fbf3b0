package dev.bpfglobals.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bpfglobals.runtime.testing.BpfObjects;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What every command answers without doing anything: help, version, and the messages for a command line it cannot use. */
class CliUsageTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        out.reset();
        err.reset();
        return BpfGlobalsCli.run(args, new PrintStream(out, true), new PrintStream(err, true));
    }

    /** Every command the tool has, hidden ones included, but picocli's own help command. */
    static List<String> commands() {
        return BpfGlobalsCli.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()))
                .getSubcommands().keySet().stream().filter(name -> !name.equals("help")).toList();
    }

    @ParameterizedTest
    @MethodSource("commands")
    void everyCommandAnswersHelpWithASynopsisOptionsAndAnExample(String command) {
        for (List<String> ask : List.of(List.of(command, "--help"), List.of(command, "-h"), List.of("help", command))) {
            assertThat(run(ask.toArray(String[]::new))).as(String.join(" ", ask)).isZero();

            assertThat(out.toString()).startsWith("Usage: bpf-globals " + command).contains("\nOptions:\n")
                    .contains("  -h, --help ").containsPattern("\nExample:\n  .*bpf-globals " + command);
            assertThat(err.toString()).isEmpty();
        }
    }

    @Test
    void theToolItselfAnswersHelpListingTheCommands() {
        for (String help : List.of("--help", "-h", "help")) {
            assertThat(run(help)).isZero();
            assertThat(out.toString()).startsWith("Usage: bpf-globals COMMAND").contains("\nCommands:\n")
                    .contains("  inspect ").contains("  export ");
        }
    }

    @ParameterizedTest
    @MethodSource("commands")
    void everyCommandAnswersVersionWithTheProjectVersion(String command) {
        assertThat(run(command, "--version")).isZero();
        assertThat(out.toString()).matches("(?s)bpf-globals \\d+\\.\\d+\\.\\d+\\S*\nJava .*");
        assertThat(run("--version")).isZero();
        assertThat(out.toString()).startsWith("bpf-globals " + Version.version() + "\n");
    }

    @Test
    void anUnknownOptionNamesTheNearestOneAndExitsTwo() {
        assertThat(run("inspect", "x.o", "--jsno")).isEqualTo(2);
        assertThat(err.toString()).startsWith("bpf-globals inspect: unknown option '--jsno' (did you mean '--json'?);"
                + " usage: bpf-globals inspect OBJ.o [--json]\n").contains("'bpf-globals help inspect'");
        assertThat(out.toString()).isEmpty();

        assertThat(run("run", "p", "--cpu", "0", "--reapet", "2")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown option '--reapet' (did you mean '--repeat'?)");
    }

    @Test
    void anUnknownCommandNamesTheNearestOneAndExitsTwo() {
        assertThat(run("inpsect", "x.o")).isEqualTo(2);
        assertThat(err.toString()).startsWith("bpf-globals: unknown command 'inpsect' (did you mean 'inspect'?)")
                .contains("commands: inspect, check, features, load, attach, detach, run, dump, export, gen, help");

        assertThat(run("help", "lod")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown command 'lod' (did you mean 'load'?)");
    }

    @Test
    void aWordNearNoCommandIsNotGivenASuggestion() {
        assertThat(run("frobnicate")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown command 'frobnicate';").doesNotContain("did you mean");
    }

    @Test
    void noCommandIsAUsageErrorListingTheCommands() {
        assertThat(run()).isEqualTo(2);
        assertThat(err.toString()).startsWith("bpf-globals: no command given; usage: bpf-globals COMMAND")
                .contains("commands: inspect, ");
    }

    @Test
    void aMissingFileIsNamed() {
        for (String command : List.of("inspect", "check", "load")) {
            Stream<String> rest = command.equals("inspect") ? Stream.of()
                    : command.equals("check") ? Stream.of("--contract", "c.json") : Stream.of("--pin", "/sys/fs/bpf/x");
            String[] args = Stream.concat(Stream.of(command, "/no/such/object.o"), rest).toArray(String[]::new);

            assertThat(run(args)).as(command).isEqualTo(1);
            assertThat(err.toString()).as(command).isEqualTo("bpf-globals: no such file: /no/such/object.o\n");
        }
    }

    @Test
    void aDirectoryGivenAsAFileIsNamed(@TempDir Path dir) throws Exception {
        assertThat(run("inspect", dir.toString())).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("bpf-globals: " + dir + " is a directory, not a file\n");

        Path contract = Files.createDirectory(dir.resolve("contract.json"));
        assertThat(run("check", BpfObjects.compile("counters").toString(), "--contract", contract.toString())).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("bpf-globals: " + contract + " is a directory, not a file\n");
    }
}
