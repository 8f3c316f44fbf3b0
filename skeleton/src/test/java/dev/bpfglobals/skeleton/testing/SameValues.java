package dev.bpfglobals.skeleton.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Array;
import java.lang.reflect.RecordComponent;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Compares a value a skeleton read (a generated record, array or primitive) with the value
 * bpftool's BTF dumper printed for the same bytes, member by member, by C name: a record component
 * {@code inDynarrSz} is the C member {@code in_dynarr_sz}.
 */
public final class SameValues {

    private SameValues() {
    }

    /** Asserts that {@code java} and bpftool's {@code formatted} are the same value; {@code path} names it in a failure. */
    @SuppressWarnings("unchecked")
    public static void assertSame(String path, Object java, Object formatted) {
        switch (java) {
            case Record record -> {
                assertThat(formatted).as(path).isInstanceOf(Map.class);
                Map<String, Object> members = (Map<String, Object>) formatted;
                for (RecordComponent component : record.getClass().getRecordComponents()) {
                    String cName = members.keySet().stream().filter(c -> javaName(c).equals(component.getName())).findFirst()
                            .orElseThrow(() -> new AssertionError(path + ": bpftool printed no member for " + component.getName()
                                    + "; it printed " + members.keySet()));
                    assertSame(path + "." + cName, read(component, record), members.get(cName));
                }
            }
            case byte[] bytes when formatted instanceof String string -> {
                int end = 0;
                while (end < bytes.length && bytes[end] != 0) {
                    end++;
                }
                assertThat(new String(bytes, 0, end, StandardCharsets.ISO_8859_1)).as(path).isEqualTo(string);
            }
            case Boolean bool -> assertThat(formatted).as(path).isEqualTo(bool);
            case Number number -> {
                int bits = switch (number) {
                    case Byte b -> 8;
                    case Short s -> 16;
                    case Integer i -> 32;
                    default -> 64;
                };
                BigInteger mask = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
                assertThat(((BigInteger) formatted).and(mask)).as(path).isEqualTo(BigInteger.valueOf(number.longValue()).and(mask));
            }
            default -> {
                assertThat(java.getClass().isArray()).as(path + " is " + java.getClass()).isTrue();
                List<Object> elements = (List<Object>) formatted;
                assertThat(elements).as(path).hasSize(Array.getLength(java));
                for (int i = 0; i < elements.size(); i++) {
                    assertSame(path + "[" + i + "]", Array.get(java, i), elements.get(i));
                }
            }
        }
    }

    /** The generator's camelCase of a C name (the test's own copy of the rule, so a change to either shows). */
    static String javaName(String cName) {
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char c : cName.toCharArray()) {
            if (!Character.isLetterOrDigit(c)) {
                upper = !out.isEmpty();
                continue;
            }
            out.append(upper ? Character.toUpperCase(c) : out.isEmpty() ? Character.toLowerCase(c) : c);
            upper = false;
        }
        return out.toString();
    }

    private static Object read(RecordComponent component, Record record) {
        try {
            component.getAccessor().setAccessible(true);
            return component.getAccessor().invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
