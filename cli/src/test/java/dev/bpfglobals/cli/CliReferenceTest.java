package dev.bpfglobals.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * docs/cli.md cannot drift from the tool: it must hold each command's {@code --help} exactly, in a
 * fenced block. When a command's help changes, the failure shows the block to paste.
 */
class CliReferenceTest {

    /** The project's docs/cli.md: tests run in the module's directory, docs/ is beside it. */
    private static final Path REFERENCE = Path.of(System.getProperty("user.dir")).getParent().resolve("docs/cli.md");

    /** The tool itself (no arguments before --help) and every command, the hidden one too. */
    static Stream<String> commands() {
        List<String> all = new ArrayList<>(List.of(""));
        all.addAll(CliUsageTest.commands());
        return all.stream();
    }

    @ParameterizedTest(name = "bpf-globals {0} --help")
    @MethodSource("commands")
    void theReferenceHoldsTheHelpOf(String command) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String[] args = command.isEmpty() ? new String[] {"--help"} : new String[] {command, "--help"};
        assertThat(BpfGlobalsCli.run(args, new PrintStream(out, true), new PrintStream(new ByteArrayOutputStream()))).isZero();
        String block = "```\n" + out + "```\n";

        assertThat(Files.readString(REFERENCE)).as("%s should hold, for bpf-globals %s --help:%n%s", REFERENCE, command, block)
                .contains(block);
    }
}
