package dev.bpfglobals.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bpf-globals completion}: the script bash and zsh source, asked for candidates as the shell
 * would ask when TAB is pressed after a partial word.
 */
class CompletionTest {

    @TempDir
    Path dir;

    /** The script, written where a shell can source it. */
    private Path script(String... shell) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] args = shell.length == 0 ? new String[] {"completion"} : new String[] {"completion", shell[0]};
        assertThat(BpfGlobalsCli.run(args, new PrintStream(out, true), new PrintStream(err, true))).as(err.toString()).isZero();
        return Files.writeString(dir.resolve("bpf-globals.bash"), out.toString());
    }

    /** What {@code shell} prints running {@code commands} after sourcing {@code script}, stderr dropped. */
    private static String run(String shell, Path script, String commands) throws Exception {
        Process process = new ProcessBuilder(List.of(shell, shell.endsWith("zsh") ? "-f" : "--norc", "-c",
                "source " + script + "\n" + commands)).redirectError(ProcessBuilder.Redirect.DISCARD)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return output.strip();
    }

    /** The candidates bash's completion function gives for {@code line}, whose last word is being completed. */
    private static String bashCandidates(Path script, String line) throws Exception {
        return run("bash", script, "read -a COMP_WORDS <<< '" + line + "'\n"
                + (line.endsWith(" ") ? "COMP_WORDS+=('')\n" : "")
                + "COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMP_LINE='" + line + "'; COMP_POINT=${#COMP_LINE}\n"
                + "_complete_bpf-globals bpf-globals \"${COMP_WORDS[-1]}\" \"${COMP_WORDS[-2]}\"\n"
                + "echo \"${COMPREPLY[*]}\"");
    }

    @Test
    void bashCompletesCommandsAndEachCommandsOptions() throws Exception {
        Path script = script();

        assertThat(run("bash", script, "complete -p bpf-globals")).contains("-F _complete_bpf-globals").endsWith(" bpf-globals");
        assertThat(bashCandidates(script, "bpf-globals ins")).isEqualTo("inspect");
        assertThat(bashCandidates(script, "bpf-globals load --k")).isEqualTo("--kernel-btf");
        assertThat(bashCandidates(script, "bpf-globals dump --p")).isEqualTo("--pinned");
        assertThat(bashCandidates(script, "bpf-globals ")).isEqualTo("inspect check features load attach detach run dump export gen help")
                .as("the completion command itself is hidden").doesNotContain("completion");
    }

    @Test
    void zshRegistersTheSameScriptThroughBashcompinit() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/zsh")), "zsh is not installed");
        Path script = script("zsh");

        // zsh filters the candidates by the word typed itself; the function gives them all.
        assertThat(run("/usr/bin/zsh", script, "echo ${_comps[bpf-globals]}")).contains("-F _complete_bpf-globals");
        assertThat(run("/usr/bin/zsh", script, "setopt ksharrays; COMP_WORDS=(bpf-globals load --k); COMP_CWORD=2\n"
                + "COMP_LINE='bpf-globals load --k'; COMP_POINT=${#COMP_LINE}\n"
                + "_complete_bpf-globals bpf-globals --k load; echo \"${COMPREPLY[*]}\"")).contains("--kernel-btf", "--pin", "--set");
    }

    @Test
    void anotherShellIsAUsageError() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(BpfGlobalsCli.run(new String[] {"completion", "fish"}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true))).isEqualTo(2);
        assertThat(err.toString()).contains("expected one of [bash, zsh]");
    }
}
