package dev.bpfglobals.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code completion [bash|zsh]}: the shell completion script picocli generates from the commands
 * themselves, so it cannot fall behind them. One script serves both shells: in zsh it loads
 * {@code bashcompinit} and registers itself through it. Hidden from the command list; docs/cli.md
 * says how to source it.
 */
@Command(name = "completion", hidden = true, mixinStandardHelpOptions = true, versionProvider = Version.class,
        customSynopsis = "bpf-globals completion [bash|zsh]",
        description = {"Prints a completion script for bash or zsh.",
                "",
                "The same script serves both shells: in zsh it loads bashcompinit. Load it into the running"
                + " shell with source <(bpf-globals completion), or add that line to ~/.bashrc or ~/.zshrc."},
        footer = {"", "Example:", "  echo 'source <(bpf-globals completion zsh)' >> ~/.zshrc"})
final class CompletionCommand extends CliCommand {

    /** The shells the script works in. */
    enum Shell { bash, zsh }

    // Checked, not used: the script is the same for both shells.
    @Parameters(paramLabel = "SHELL", arity = "0..1", defaultValue = "bash", description = "bash (default) or zsh.")
    private Shell shell;

    @Override
    public Integer call() {
        out().print(AutoComplete.bash("bpf-globals", spec().root().commandLine()));
        out().flush();
        return 0;
    }
}
