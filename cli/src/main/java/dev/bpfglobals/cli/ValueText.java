package dev.bpfglobals.cli;

import java.util.stream.Collectors;

/**
 * Values as {@code dump} prints them without {@code --json}: the values JSON gets, spelt for
 * reading. Numbers, booleans and floats as JSON has them (NaN bare), arrays as {@code [1, 2, 3]},
 * structs as {@code {low: 0, high: 7}} with their names escaped ({@link Printable}), bytes without a
 * type in hex.
 */
final class ValueText {

    private ValueText() {
    }

    /** {@code value} as text. */
    static String of(Value value) {
        return switch (value) {
            case Value.Whole w -> w.value().toString();
            case Value.Bool b -> Boolean.toString(b.value());
            case Value.Real r -> r.text();
            case Value.Items i -> i.items().stream().map(ValueText::of).collect(Collectors.joining(", ", "[", "]"));
            case Value.Fields f -> f.fields().stream().map(field -> Printable.name(field.name()) + ": " + of(field.value()))
                    .collect(Collectors.joining(", ", "{", "}"));
            case Value.Bytes b -> b.hex();
            case Value.None n -> "null";
        };
    }
}
