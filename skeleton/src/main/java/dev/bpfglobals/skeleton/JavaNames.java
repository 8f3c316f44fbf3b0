package dev.bpfglobals.skeleton;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import javax.lang.model.SourceVersion;

/**
 * C names as Java names: {@code snake_case} to {@code camelCase} (members, variables, maps,
 * programs) or {@code PascalCase} (types), a trailing underscore after a Java keyword
 * ({@code class} becomes {@code class_}), and a number after a name already taken in the same scope.
 */
final class JavaNames {

    private final Set<String> taken = new HashSet<>();

    /** A scope where {@code reserved} (the generated class's own members) are already taken. */
    JavaNames(String... reserved) {
        taken.addAll(Set.of(reserved));
    }

    /** {@code preferred}, or {@code preferred2}, {@code preferred3}, ... if taken; from now on taken. */
    String claim(String preferred) {
        String name = preferred;
        for (int n = 2; !taken.add(name); n++) {
            name = preferred + n;
        }
        return name;
    }

    /** {@code snake_case} (or {@code .data.read_mostly}) as {@code snakeCase}, keyword-safe. */
    static String camel(String cName) {
        String pascal = pascal(cName);
        String camel = pascal.isEmpty() ? "value" : Character.toLowerCase(pascal.charAt(0)) + pascal.substring(1);
        return safe(camel);
    }

    /** {@code snake_case} as {@code SnakeCase}; a leading digit gets an underscore before it. */
    static String pascal(String cName) {
        StringBuilder out = new StringBuilder();
        boolean upper = true;
        for (int i = 0; i < cName.length(); i++) {
            char c = cName.charAt(i);
            if (!Character.isLetterOrDigit(c) || c > 0x7f) {
                upper = true;
                continue;
            }
            out.append(upper ? Character.toUpperCase(c) : c);
            upper = false;
        }
        if (!out.isEmpty() && Character.isDigit(out.charAt(0))) {
            out.insert(0, '_');
        }
        return out.toString();
    }

    /** {@code SNAKE_CASE}, for constants. */
    static String constant(String cName) {
        String upper = cName.replaceAll("[^A-Za-z0-9]+", "_").replaceAll("^_+|_+$", "").toUpperCase(Locale.ROOT);
        if (upper.isEmpty() || Character.isDigit(upper.charAt(0))) {
            upper = "_" + upper;
        }
        return safe(upper);
    }

    /** {@code name}, with an underscore after it when Java reserves it ({@code class_}, {@code int_}). */
    static String safe(String name) {
        return SourceVersion.isKeyword(name) || name.equals("_") ? name + "_" : name;
    }
}
