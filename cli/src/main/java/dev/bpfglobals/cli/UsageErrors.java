package dev.bpfglobals.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * A command line the tool cannot use: exit 2, and on stderr
 * {@code bpf-globals CMD: PROBLEM; usage: SYNOPSIS}, where an unknown command or option names the
 * nearest valid one ({@code unknown option '--jsno' (did you mean '--json'?)}), then a line saying
 * where the full help is.
 */
final class UsageErrors implements IParameterExceptionHandler {

    @Override
    public int handleParseException(ParameterException problem, String[] args) {
        CommandLine command = problem.getCommandLine();
        CommandSpec spec = command.getCommandSpec();
        PrintWriter err = command.getErr();
        err.println(spec.qualifiedName() + ": " + describe(problem, spec) + "; usage: " + synopsis(command));
        err.println(spec.root() == spec ? "commands: " + String.join(", ", commands(spec))
                + "; 'bpf-globals help COMMAND' describes one" : "'bpf-globals help " + spec.name() + "' describes every option");
        err.flush();
        return spec.exitCodeOnInvalidInput();
    }

    /** The problem in one phrase, with the nearest valid name where the user misspelt one. */
    private static String describe(ParameterException problem, CommandSpec spec) {
        if (problem instanceof UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
            String typed = unmatched.getUnmatched().getFirst();
            if (unmatched.isUnknownOption()) {
                List<String> options = spec.options().stream().filter(o -> !o.hidden())
                        .flatMap(o -> List.of(o.names()).stream()).toList();
                // --pin=DIR: options take their value after a space here, so compare the name alone
                String name = typed.contains("=") ? typed.substring(0, typed.indexOf('=')) : typed;
                return "unknown option '" + Printable.name(typed) + "'" + suggestion(name, options, unmatched.getSuggestions());
            }
            if (!spec.subcommands().isEmpty()) {
                return "unknown command '" + Printable.name(typed) + "'"
                        + suggestion(typed, commands(spec), unmatched.getSuggestions());
            }
            return "unexpected argument '" + Printable.name(typed) + "'";
        }
        // picocli's help command: "Unknown subcommand 'lod'.", the name as the value, the parent as the command
        if (problem.getValue() != null && problem.getMessage().startsWith("Unknown subcommand")) {
            return "unknown command '" + Printable.name(problem.getValue()) + "'"
                    + suggestion(problem.getValue(), commands(spec), List.of());
        }
        String message = problem.getMessage().strip();
        message = message.endsWith(".") ? message.substring(0, message.length() - 1) : message;
        return Printable.message(message.isEmpty() ? message
                : message.substring(0, 1).toLowerCase(Locale.ROOT) + message.substring(1));
    }

    /**
     * {@code " (did you mean 'NAME'?)"} for the nearest of {@code names}; failing that, for the first
     * of picocli's guesses that {@code typed} begins ({@code exp} for {@code export}); else nothing.
     * picocli's guesses alone rank loosely similar names first ({@code features} for {@code frobnicate}).
     */
    private static String suggestion(String typed, List<String> names, List<String> picocliGuesses) {
        String bare = typed.replaceFirst("^-+", "");
        Optional<String> nearest = nearest(typed, names).or(() -> picocliGuesses.stream()
                .filter(guess -> bare.length() >= 2 && guess.replaceFirst("^-+", "").startsWith(bare)).findFirst());
        return nearest.map(n -> " (did you mean '" + n + "'?)").orElse("");
    }

    /**
     * The name fewest edits away from {@code typed} (insertions, deletions, substitutions and swaps of
     * neighbours), if it is near enough to be what was meant: a third of the letters at most, and
     * never every letter. Dashes are not letters: {@code -x} is not one edit from {@code -h}.
     */
    static Optional<String> nearest(String typed, List<String> names) {
        String bare = typed.replaceFirst("^-+", "");
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String name : names) {
            int distance = distance(typed, name);
            if (distance < bestDistance) {
                best = name;
                bestDistance = distance;
            }
        }
        return best != null && bestDistance <= Math.max(1, bare.length() / 3) && bestDistance < bare.length()
                ? Optional.of(best) : Optional.empty();
    }

    /** Optimal string alignment distance: Levenshtein's, with a swap of two neighbours as one edit ({@code laod} for {@code load}). */
    private static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            for (int j = 0; j <= b.length(); j++) {
                if (i == 0 || j == 0) {
                    d[i][j] = i + j;
                    continue;
                }
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    /** The visible subcommands of {@code spec}, in the order help lists them. */
    private static List<String> commands(CommandSpec spec) {
        List<String> names = new ArrayList<>();
        spec.subcommands().forEach((name, sub) -> {
            if (!sub.getCommandSpec().usageMessage().hidden() && !names.contains(sub.getCommandName())) {
                names.add(sub.getCommandName());
            }
        });
        return names;
    }

    /** The command's synopsis on one line: its own where it has one (every bpf-globals command does), else picocli's. */
    static String synopsis(CommandLine command) {
        String[] custom = command.getCommandSpec().usageMessage().customSynopsis();
        String synopsis = custom.length > 0 ? String.join(" ", custom) : command.getHelp().synopsis(0);
        return synopsis.strip().replaceAll("\\s+", " ");
    }
}
