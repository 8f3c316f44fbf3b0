package dev.bpfglobals.cli;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Run by the build (the cli module's process-classes phase), not by the tool: reads every command's
 * picocli annotations, as picocli does, and writes the model they make to {@link CommandModels#RESOURCE}
 * in the classes directory. The tool then builds the same model from that file without reading an
 * annotation: the JDK makes a proxy class for each annotation type it reads, which took a cold
 * {@code inspect} about 25 ms (docs/benchmarks.md#cold-start). {@code CommandModelsTest} checks
 * that both models give the same help, option for option.
 *
 * <p>One line a command or argument, fields separated by tabs, the strings of an array by
 * {@link CommandModels#ITEM}; {@link CommandModels#NULL} is a null string.
 */
final class CommandModelWriter {

    private CommandModelWriter() {
    }

    /**
     * Writes the model of the tool's commands.
     *
     * @param args the classes directory
     * @throws IOException if the file cannot be written
     */
    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[0]).resolve(CommandModels.RESOURCE);
        Files.createDirectories(file.getParent());
        Files.writeString(file, model(), StandardCharsets.UTF_8);
    }

    /** The model of the top command and each of its own commands (not picocli's help command). */
    static String model() {
        StringBuilder out = new StringBuilder();
        write(out, new BpfGlobalsCli());
        for (String name : BpfGlobalsCli.commandNames()) {
            Object command = BpfGlobalsCli.command(name);
            if (!(command instanceof CommandLine.HelpCommand)) {
                write(out, command);
            }
        }
        return out.toString();
    }

    private static void write(StringBuilder out, Object command) {
        CommandSpec spec = CommandSpec.forAnnotatedObject(command);
        if (!(spec.versionProvider() instanceof Version)) {
            throw new IllegalStateException(spec.name() + ": the model file gives every command the tool's Version");
        }
        line(out, "C", command.getClass().getName(), spec.name(), bool(spec.usageMessage().hidden()),
                explicitSeparator(command), join(spec.usageMessage().customSynopsis()),
                join(spec.usageMessage().description()), join(spec.usageMessage().footer()), join(specFields(command.getClass())));
        for (OptionSpec option : spec.options()) {
            line(out, "O", field(option), join(option.names()), option.paramLabel(), join(option.description()),
                    arity(option.arity()), bool(option.required()), option.defaultValue(), option.scopeType().name(),
                    bool(option.hidden()), option.type().getName(), typeNames(option.auxiliaryTypes()),
                    bool(option.usageHelp()), bool(option.versionHelp()));
        }
        for (PositionalParamSpec positional : spec.positionalParameters()) {
            line(out, "P", field(positional), positional.index().toString(), positional.paramLabel(),
                    join(positional.description()), arity(positional.arity()), bool(positional.required()),
                    positional.defaultValue(), bool(positional.hidden()), positional.type().getName(),
                    typeNames(positional.auxiliaryTypes()));
        }
    }

    /**
     * The arity the annotation gives, or empty where it gives none: picocli resolves an unspecified
     * arity from the type (0 for a boolean) but treats it otherwise than one written out (it accepts
     * {@code --verbose=true} only for an unspecified one), so the model must not write it out.
     */
    private static String arity(picocli.CommandLine.Range arity) {
        return arity.isUnspecified() ? "" : arity.toString();
    }

    /** The separator the command's annotation sets, or null where it inherits its parent's. */
    private static String explicitSeparator(Object command) {
        String separator = command.getClass().getAnnotation(CommandLine.Command.class).separator();
        return separator.equals("=") ? null : separator;
    }

    /** The fields picocli sets to the command's model ({@code @Spec}), in the class and its superclasses. */
    private static String[] specFields(Class<?> type) {
        List<String> names = new ArrayList<>();
        for (Class<?> c = type; c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (f.isAnnotationPresent(CommandLine.Spec.class)) {
                    names.add(c.getName() + "#" + f.getName());
                }
            }
        }
        return names.toArray(String[]::new);
    }

    /** {@code Class#field} for an argument bound to a command's field; empty for one without (the help options). */
    private static String field(ArgSpec arg) {
        if (arg instanceof OptionSpec option && (option.usageHelp() || option.versionHelp())) {
            return "";
        }
        if (!(arg.userObject() instanceof Field f)) {
            throw new IllegalStateException("argument " + arg + " is not a field: the model file holds only fields");
        }
        return f.getDeclaringClass().getName() + "#" + f.getName();
    }

    private static String typeNames(Class<?>[] types) {
        String[] names = new String[types.length];
        for (int i = 0; i < types.length; i++) {
            names[i] = types[i].getName();
        }
        return join(names);
    }

    private static String bool(boolean value) {
        return value ? "1" : "0";
    }

    private static String join(String[] items) {
        for (String item : items) {
            check(item);
        }
        return String.join(String.valueOf(CommandModels.ITEM), items);
    }

    private static void line(StringBuilder out, String... fields) {
        for (int i = 0; i < fields.length; i++) {
            if (fields[i] != null && (fields[i].indexOf('\t') >= 0 || fields[i].indexOf('\n') >= 0)) {
                throw new IllegalStateException("a command's text holds a tab or newline: " + fields[i]);
            }
            out.append(i == 0 ? "" : "\t").append(fields[i] == null ? String.valueOf(CommandModels.NULL) : fields[i]);
        }
        out.append('\n');
    }

    private static void check(String item) {
        if (item.indexOf('\t') >= 0 || item.indexOf('\n') >= 0 || item.indexOf(CommandModels.ITEM) >= 0
                || item.indexOf(CommandModels.NULL) >= 0) {
            throw new IllegalStateException("a command's text holds a tab, newline or separator: " + item);
        }
    }
}
