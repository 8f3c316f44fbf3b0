package dev.bpfglobals.cli;

import static dev.bpfglobals.cli.Json.quote;

import dev.bpfglobals.contract.ValueType;
import java.util.stream.Collectors;

/**
 * Values as JSON ({@code dump --json}): integers as exact numbers, {@code _Bool} as
 * {@code true}/{@code false}, finite floats as numbers and the others (NaN, infinities, long
 * doubles) as strings, arrays as lists, structs, unions and sections as objects keyed by name,
 * bytes without a type as a hex string. {@link ValueDecoder} says how each is read.
 */
final class ValueJson {

    private final byte[] bytes;

    /** Decodes values out of {@code bytes}. */
    ValueJson(byte[] bytes) {
        this.bytes = bytes;
    }

    /** The value of {@code type} at byte {@code offset}, as JSON. */
    String value(ValueType type, long offset) {
        return of(new ValueDecoder(bytes).decode(type, offset));
    }

    /** {@code value} as JSON. */
    static String of(Value value) {
        return switch (value) {
            case Value.Whole w -> w.value().toString();
            case Value.Bool b -> Boolean.toString(b.value());
            case Value.Real r -> r.number() ? r.text() : quote(r.text());
            case Value.Items i -> i.items().stream().map(ValueJson::of).collect(Collectors.joining(", ", "[", "]"));
            case Value.Fields f -> f.fields().stream().map(field -> quote(field.name()) + ": " + of(field.value()))
                    .collect(Collectors.joining(", ", "{", "}"));
            case Value.Bytes b -> quote(b.hex());
            case Value.None n -> "null";
        };
    }
}
