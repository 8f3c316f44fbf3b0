package dev.bpfglobals.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The tool builds its commands' picocli models from the file the build wrote ({@link CommandModels});
 * each must be the model picocli reads from the command's annotations: the same help, the same
 * arguments with the same names, types and arities, bound to the same fields.
 */
class CommandModelsTest {

    static Stream<String> commands() {
        return Stream.concat(Stream.of(""), BpfGlobalsCli.commandNames().stream().filter(name -> !name.equals("help")));
    }

    @Test
    void theBuildWroteTheModelOfTheCommandsAsTheyAre() {
        assertThat(CommandModels.class.getClassLoader().getResource(CommandModels.RESOURCE)).isNotNull();
        assertThat(CommandModelWriter.model()).as("the model file is stale: rebuild the cli module")
                .isEqualTo(new String(readResource(), java.nio.charset.StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "bpf-globals {0}")
    @MethodSource("commands")
    void theModelFromTheFileIsTheModelOfTheAnnotations(String name) {
        Object fromFile = name.isEmpty() ? new BpfGlobalsCli() : BpfGlobalsCli.command(name);
        Object fromAnnotations = name.isEmpty() ? new BpfGlobalsCli() : BpfGlobalsCli.command(name);
        CommandSpec built = CommandModels.of(fromFile);
        CommandSpec read = CommandSpec.forAnnotatedObject(fromAnnotations);

        assertThat(help(built)).isEqualTo(help(read));
        assertThat(arguments(built)).isEqualTo(arguments(read));
        assertThat(built.parser().separator()).isEqualTo(read.parser().separator());
        assertThat(built.usageMessage().hidden()).isEqualTo(read.usageMessage().hidden());
    }

    @Test
    void valuesReachTheCommandsFields() {
        LoadCommand load = new LoadCommand();
        new CommandLine(CommandModels.of(load)).parseArgs("x.o", "--pin", "/sys/fs/bpf/p", "--set", "a.b=1", "--set", "c.d=2");
        CommandSpec read = CommandSpec.forAnnotatedObject(load);

        assertThat(read.positionalParameters().get(0).<Object>getValue()).hasToString("x.o");
        assertThat(read.findOption("--pin").<Object>getValue()).hasToString("/sys/fs/bpf/p");
        assertThat(read.findOption("--set").<List<String>>getValue()).containsExactly("a.b=1", "c.d=2");
        assertThat(read.findOption("--attach").<Boolean>getValue()).isFalse();
    }

    /**
     * The built models have no initial values and their getters know only what they set (reading
     * every field would spin reflection classes at start): right only while no command's list,
     * array or map starts with elements, which picocli would otherwise append to.
     */
    @ParameterizedTest(name = "bpf-globals {0}")
    @MethodSource("commands")
    void noMultiValuedArgumentStartsWithElements(String name) {
        Object command = name.isEmpty() ? new BpfGlobalsCli() : BpfGlobalsCli.command(name);
        for (ArgSpec arg : CommandSpec.forAnnotatedObject(command).args()) {
            Object initial = arg.initialValue();
            if (initial instanceof java.util.Collection<?> collection) {
                assertThat(collection).as(arg.paramLabel()).isEmpty();
            } else if (initial instanceof Map<?, ?> map) {
                assertThat(map).as(arg.paramLabel()).isEmpty();
            } else if (initial != null && initial.getClass().isArray()) {
                assertThat(java.lang.reflect.Array.getLength(initial)).as(arg.paramLabel()).isZero();
            }
        }
    }

    @Test
    void aBooleanOptionTakesAnAttachedValueAsWithTheAnnotations() {
        BpfGlobalsCli root = new BpfGlobalsCli();
        CommandLine built = new CommandLine(CommandModels.of(root));

        built.parseArgs("--verbose=true");

        assertThat(CommandSpec.forAnnotatedObject(root).findOption("--verbose").<Boolean>getValue()).isTrue();
    }

    @Test
    void eachCommandReceivesItsOwnModel() {
        LoadCommand load = new LoadCommand();
        CommandSpec built = CommandModels.of(load);

        assertThat(load.spec()).isSameAs(built);
    }

    private static String help(CommandSpec spec) {
        StringWriter out = new StringWriter();
        new CommandLine(spec).usage(new PrintWriter(out), CommandLine.Help.Ansi.OFF);
        return out.toString();
    }

    /** Each argument's names, label, type, arity and whether it is required, help or inherited. */
    private static Map<String, String> arguments(CommandSpec spec) {
        Map<String, String> all = new java.util.TreeMap<>();
        for (ArgSpec arg : spec.args()) {
            String key = arg.isOption() ? String.join(",", ((CommandLine.Model.OptionSpec) arg).names())
                    : "positional " + ((CommandLine.Model.PositionalParamSpec) arg).index();
            all.put(key, arg.paramLabel() + " " + arg.type().getName() + " " + List.of(arg.auxiliaryTypes()) + " "
                    + arg.arity() + (arg.arity().isUnspecified() ? " (from the type)" : "") + " required=" + arg.required() + " scope=" + arg.scopeType() + " hidden=" + arg.hidden()
                    + " default=" + arg.defaultValue() + " split=" + arg.splitRegex()
                    + (arg.isOption() ? " usageHelp=" + ((CommandLine.Model.OptionSpec) arg).usageHelp()
                    + " versionHelp=" + ((CommandLine.Model.OptionSpec) arg).versionHelp() : ""));
        }
        return all;
    }

    private static byte[] readResource() {
        try (var in = CommandModels.class.getClassLoader().getResourceAsStream(CommandModels.RESOURCE)) {
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
