package dev.bpfglobals.processor.validation;

import dev.bpfglobals.processor.layout.CType;
import dev.bpfglobals.processor.model.CNames;
import dev.bpfglobals.processor.model.Section;
import dev.bpfglobals.processor.model.JavaNames;
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
    /** Constants of the generated accessor, and what generates each. */
    private final Map<String, String> javaConstants = new HashMap<>();
    private final String accessor;

    /** Claims for a record whose C prefix is {@code prefix} and whose accessor class is {@code accessor}. */
    NameClaims(ValidationReport.Builder reporter, String prefix, String accessor) {
        this.reporter = reporter;
        this.accessor = accessor;
        JavaNames.SECTION_CONSTANTS.forEach(constant -> javaConstants.put(constant, "the accessor's section constants"));
        // Both mirrors, present or not, so that adding a .data component never invalidates a nested type.
        for (Section section : Section.values()) {
            tags.put(CNames.mirrorTag(prefix, section), "the struct mirroring " + section.elfName());
        }
    }

    /** Registers every file-scope C identifier {@code component} brings along and reports clashes. */
    void claimAll(RecordComponentElement component, String name, CType type) {
        claimJavaConstants(component, name);
        claim(component, name, "variable " + name, globalNames);
        forEachNamedType(type, named -> {
            if (named instanceof CType.Struct struct) {
                claimTag(component, struct.tag(), struct.javaName());
            } else if (named instanceof CType.Enum e) {
                if (claimTag(component, e.tag(), e.javaName())) {
                    e.constants().forEach(c -> claim(component, CNames.enumConstant(e, c),
                            "constant of " + e.javaName(), globalNames));
                }
            }
        });
    }

    /** C keeps sizeBuckets and size_buckets apart, but their Java constants are one name. */
    private void claimJavaConstants(RecordComponentElement component, String name) {
        for (String constant : JavaNames.constantsOf(name)) {
            String previous = javaConstants.putIfAbsent(constant, "component '" + name + "'");
            if (previous != null) {
                reporter.report(Diagnostic.DUPLICATE_JAVA_NAME, component, name, constant, accessor, previous);
                return;
            }
        }
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
