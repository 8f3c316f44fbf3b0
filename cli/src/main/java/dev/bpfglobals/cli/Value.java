package dev.bpfglobals.cli;

import java.math.BigInteger;
import java.util.HexFormat;
import java.util.List;

/**
 * A value as {@code dump} decoded it from a map's bytes by the map's BTF ({@link ValueDecoder}),
 * before it is written out: as JSON ({@link ValueJson}) or as text ({@link ValueText}). Both
 * outputs take the same decoded values, so they cannot disagree about what a map holds.
 */
sealed interface Value {

    /** An integer, enum, pointer or bitfield, exactly: unsigned values beyond {@code Long.MAX_VALUE} too. */
    record Whole(BigInteger value) implements Value {
    }

    /** A {@code _Bool}. */
    record Bool(boolean value) implements Value {
    }

    /**
     * A floating-point value as text: a finite float or double in Java's spelling ({@code number}),
     * else {@code NaN}, {@code Infinity} or a long double's bits in hex, which JSON has no number for.
     */
    record Real(String text, boolean number) implements Value {
    }

    /** The elements of an array, in order. */
    record Items(List<Value> items) implements Value {
        /** Copies the elements. */
        public Items {
            items = List.copyOf(items);
        }
    }

    /** The fields of a struct or union, or the variables of a section, by name in declaration order. */
    record Fields(List<Field> fields) implements Value {
        /** Copies the fields. */
        public Fields {
            fields = List.copyOf(fields);
        }
    }

    /** One named member of {@link Fields}. */
    record Field(String name, Value value) {
    }

    /** Bytes without a type to decode them by (a map without BTF): shown in hex. */
    record Bytes(byte[] bytes) implements Value {
        /** Lower-case hex, two digits a byte. */
        String hex() {
            return HexFormat.of().formatHex(bytes);
        }
    }

    /** What has no value a map could hold: {@code void}, a function, a forward declaration. */
    record None() implements Value {
    }
}
