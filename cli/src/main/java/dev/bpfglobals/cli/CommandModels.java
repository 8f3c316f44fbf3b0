package dev.bpfglobals.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.IGetter;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ScopeType;

/**
 * The picocli model of each of the tool's commands, built from the file the build wrote from their
 * annotations ({@link CommandModelWriter}) rather than from the annotations themselves: reading an
 * annotation makes the JDK spin a proxy class for its type (about 12 ms for the first, 3 ms for each
 * other, in a cold JVM even with the AOT cache, which holds no proxy classes), and a command's model
 * reads four such types. Where the file is missing (classes compiled outside Maven), or does not
 * name the command, picocli reads the annotations as usual.
 */
final class CommandModels {

    /** The model file, on the class path. */
    static final String RESOURCE = "dev/bpfglobals/cli/commands.model";

    /** Separates the strings of an array in one field. */
    static final char ITEM = '\u001f';

    /** A null string. */
    static final char NULL = '\u0000';

    private static Map<String, List<String[]>> models;

    private CommandModels() {
    }

    /**
     * The model of {@code command}, one of the tool's command objects, bound to its fields.
     *
     * @param command a new command object
     * @return its model, for {@code new CommandLine(model)} or {@code addSubcommand(model)}
     */
    static CommandSpec of(Object command) {
        List<String[]> lines = models().get(command.getClass().getName());
        return lines == null ? CommandSpec.forAnnotatedObject(command) : build(command, lines);
    }

    private static CommandSpec build(Object command, List<String[]> lines) {
        CommandSpec spec = CommandSpec.wrapWithoutInspection(command);
        for (String[] f : lines) {
            switch (f[0]) {
                case "C" -> {
                    spec.name(f[2]);
                    spec.versionProvider(new Version());
                    spec.usageMessage().hidden(f[3].equals("1")).customSynopsis(items(f[5])).description(items(f[6]))
                            .footer(items(f[7]));
                    if (text(f[4]) != null) {
                        spec.parser().separator(f[4]);
                    }
                    if (items(f[8]).length > 0) {
                        // Every command with a @Spec field takes its model by a call, never by reflection.
                        ((SpecReceiver) command).receiveSpec(spec);
                    }
                }
                case "O" -> {
                    OptionSpec.Builder option = OptionSpec.builder(items(f[2])).paramLabel(text(f[3])).description(items(f[4]))
                            .required(f[6].equals("1")).defaultValue(text(f[7])).scopeType(ScopeType.valueOf(f[8]))
                            .hidden(f[9].equals("1")).type(type(f[10])).auxiliaryTypes(types(f[11]))
                            .usageHelp(f[12].equals("1")).versionHelp(f[13].equals("1"));
                    if (!f[5].isEmpty()) {
                        option.arity(f[5]); // else picocli derives it from the type, as for the annotation
                    }
                    if (!f[1].isEmpty()) {
                        FieldAccess field = new FieldAccess(command, f[1]);
                        option.getter(field).setter(field).hasInitialValue(false);
                    } else {
                        option.initialValue(Boolean.FALSE); // -h and -V, picocli's mixin's boolean fields
                    }
                    spec.addOption(option.build());
                }
                case "P" -> {
                    FieldAccess field = new FieldAccess(command, f[1]);
                    PositionalParamSpec.Builder positional = PositionalParamSpec.builder().index(f[2]).paramLabel(text(f[3]))
                            .description(items(f[4])).required(f[6].equals("1")).defaultValue(text(f[7])).hidden(f[8].equals("1"))
                            .type(type(f[9])).auxiliaryTypes(types(f[10])).getter(field).setter(field).hasInitialValue(false);
                    if (!f[5].isEmpty()) {
                        positional.arity(f[5]);
                    }
                    spec.addPositional(positional.build());
                }
                default -> throw new IllegalStateException(RESOURCE + ": no line kind " + f[0]);
            }
        }
        return spec;
    }

    /** The model file's lines by the command class they describe; empty without the file. */
    private static synchronized Map<String, List<String[]>> models() {
        if (models == null) {
            models = new HashMap<>();
            try (InputStream in = CommandModels.class.getClassLoader().getResourceAsStream(RESOURCE)) {
                if (in != null) {
                    List<String[]> current = null;
                    for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                        String[] fields = line.split("\t", -1);
                        if (fields[0].equals("C")) {
                            current = new ArrayList<>();
                            models.put(fields[1], current);
                        }
                        current.add(fields);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(RESOURCE + ": " + e.getMessage(), e);
            }
        }
        return models;
    }

    private static String text(String field) {
        return field.length() == 1 && field.charAt(0) == NULL ? null : field;
    }

    private static String[] items(String field) {
        return field.isEmpty() ? new String[0] : field.split(String.valueOf(ITEM), -1);
    }

    private static Class<?>[] types(String field) {
        String[] names = items(field);
        Class<?>[] types = new Class<?>[names.length];
        for (int i = 0; i < names.length; i++) {
            types[i] = type(names[i]);
        }
        return types;
    }

    private static Class<?> type(String name) {
        return switch (name) {
            case "boolean" -> boolean.class;
            case "int" -> int.class;
            case "long" -> long.class;
            default -> {
                try {
                    yield Class.forName(name, false, CommandModels.class.getClassLoader());
                } catch (ClassNotFoundException e) {
                    throw new IllegalStateException(RESOURCE + ": no class " + name, e);
                }
            }
        };
    }

    /**
     * A command object's field, {@code Class#field} in the model file, as picocli's getter and setter.
     * It is written through reflection only when picocli sets a value, and never read: the getter
     * gives the value this accessor last set, or null before that. picocli asks a getter only for
     * the value it is about to replace (for its trace) or append to (a list option, for which null
     * means "start a new list"), and the model has no initial values (nothing resets a fresh
     * command object). Reading every field up front, as {@code initialValue} would, made the JDK spin
     * a field accessor's method-handle classes per field type: 5 of them, about 5 ms of a cold
     * {@code inspect}. {@code CommandModelsTest} checks that no list option starts with elements.
     */
    private static final class FieldAccess implements IGetter, ISetter {

        private final Object target;
        private final Field field;
        private Object value;

        FieldAccess(Object target, String name) {
            this.target = target;
            int hash = name.indexOf('#');
            try {
                this.field = type(name.substring(0, hash)).getDeclaredField(name.substring(hash + 1));
            } catch (NoSuchFieldException e) {
                throw new IllegalStateException(RESOURCE + ": no field " + name + " (rebuild the cli module)", e);
            }
            field.setAccessible(true);
        }

        @Override
        @SuppressWarnings("unchecked") // picocli asks for the field's own type
        public <T> T get() {
            return (T) value;
        }

        @Override
        public <T> T set(T newValue) throws IllegalAccessException {
            T old = get();
            field.set(target, newValue);
            value = newValue;
            return old;
        }
    }
}
