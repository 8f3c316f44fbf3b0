package dev.bpfglobals.processor.validation;

import dev.bpfglobals.processor.Diagnostic;
import dev.bpfglobals.processor.layout.CType;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import javax.lang.model.element.RecordComponentElement;

/**
 * The file-scope C identifiers of one record's header (variables, enum constants, struct and enum
 * tags), claimed component by component so that the second claimant of a name is the one reported.
 */
final class NameClaims {

    private final ValidationReport.Builder reporter;
    /** Ordinary identifiers (variables and enum constants) and what claimed each. */
    private final Map<String, String> globalNames = new HashMap<>();
    /** struct and enum tags share C's tag namespace; each maps to the Java type that claimed it. */
    private final Map<String, String> tags = new HashMap<>();

    NameClaims(ValidationReport.Builder reporter) {
        this.reporter = reporter;
    }

    /** Registers every file-scope C identifier {@code component} brings along and reports clashes. */
    void claimAll(RecordComponentElement component, String name, CType type) {
        claim(component, name, "variable " + name, globalNames);
        forEachNamedType(type, named -> {
            if (named instanceof CType.Struct struct) {
                claimTag(component, struct.tag(), struct.javaName());
            } else if (named instanceof CType.Enum e) {
                if (claimTag(component, e.tag(), e.javaName())) {
                    e.constants().forEach(c -> claim(component, RecordValidator.enumConstant(e, c),
                            "constant of " + e.javaName(), globalNames));
                }
            }
        });
    }

    /** Whether {@code tag} is new; a second Java type wanting it is reported, the same one again is fine. */
    private boolean claimTag(RecordComponentElement component, String tag, String javaName) {
        String owner = tags.putIfAbsent(tag, javaName);
        if (owner == null) {
            return true;
        }
        if (!owner.equals(javaName)) {
            reporter.report(Diagnostic.DUPLICATE_C_NAME, component, "struct/enum tag " + tag, "from " + owner);
        }
        return false;
    }

    private void claim(RecordComponentElement component, String identifier, String what, Map<String, String> names) {
        String previous = names.putIfAbsent(identifier, what);
        if (previous != null) {
            reporter.report(Diagnostic.DUPLICATE_C_NAME, component, identifier, previous);
        }
    }

    /** Nested types innermost first, so a struct's members' types are claimed before the struct. */
    private static void forEachNamedType(CType type, Consumer<CType> action) {
        switch (type) {
            case CType.Array array -> forEachNamedType(array.element(), action);
            case CType.Struct struct -> {
                struct.fields().forEach(f -> forEachNamedType(f.type(), action));
                action.accept(struct);
            }
            case CType.Enum e -> action.accept(e);
            case CType.Scalar ignored -> { }
        }
    }
}
