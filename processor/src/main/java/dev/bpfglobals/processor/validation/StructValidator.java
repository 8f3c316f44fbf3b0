package dev.bpfglobals.processor.validation;

import com.palantir.javapoet.ClassName;
import dev.bpfglobals.annotations.BpfGlobals;
import dev.bpfglobals.annotations.BpfStruct;
import dev.bpfglobals.annotations.Bss;
import dev.bpfglobals.annotations.PerCpu;
import dev.bpfglobals.annotations.Rodata;
import dev.bpfglobals.processor.layout.CType;
import dev.bpfglobals.processor.layout.Holes;
import dev.bpfglobals.processor.model.CNames;
import dev.bpfglobals.processor.model.JavaNames;
import dev.bpfglobals.processor.model.StructRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.RecordComponentElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;

/**
 * Validates one {@code @BpfStruct} record into its report and, without errors, its
 * {@link StructRecord}. Components map to C types exactly as globals do ({@link TypeMapper}), so a
 * struct and a global of the same Java type have the same layout.
 */
public final class StructValidator {

    private static final Pattern C_IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final Elements elements;

    /**
     * A validator that resolves binary names through javac.
     *
     * @param elements the processing environment's element utilities
     */
    public StructValidator(Elements elements) {
        this.elements = elements;
    }

    /**
     * Checks one annotated type, reporting every problem rather than the first.
     *
     * @param type the type annotated {@code @BpfStruct}
     * @return the report about {@code type}, and the model when the report has no error
     */
    public Validated validate(TypeElement type) {
        ValidationReport.Builder report = ValidationReport.about(type);
        Optional<StructRecord> model = validate(type, report);
        return new Validated(report.build(), report.hasErrors() ? Optional.empty() : model);
    }

    /**
     * What validating one struct record gave.
     *
     * @param report everything found about the record
     * @param model  the model to generate from; empty whenever the report has an error
     */
    public record Validated(ValidationReport report, Optional<StructRecord> model) {
    }

    private Optional<StructRecord> validate(TypeElement record, ValidationReport.Builder reporter) {
        if (record.getKind() != ElementKind.RECORD) {
            reporter.report(Diagnostic.STRUCT_NOT_RECORD, record, record.getSimpleName(),
                    "a" + (record.getKind() == ElementKind.INTERFACE || record.getKind() == ElementKind.ENUM ? "n " : " ")
                            + record.getKind().toString().toLowerCase(java.util.Locale.ROOT));
            return Optional.empty();
        }
        if (record.getAnnotation(BpfGlobals.class) != null) {
            reporter.report(Diagnostic.STRUCT_AND_GLOBALS, record, record.getQualifiedName());
        }
        if (record.getRecordComponents().isEmpty()) {
            reporter.report(Diagnostic.EMPTY_STRUCT, record, record.getQualifiedName());
            return Optional.empty();
        }
        String tag = tag(record, reporter);
        TypeMapper mapper = new TypeMapper(reporter, tag);
        mapper.enter(record);
        List<CType.Field> fields = new ArrayList<>();
        Map<String, String> constants = new HashMap<>();
        for (RecordComponentElement component : record.getRecordComponents()) {
            String name = component.getSimpleName().toString();
            if (CNames.KEYWORDS.contains(name)) {
                reporter.report(Diagnostic.C_KEYWORD, component, name);
                continue;
            }
            String constant = JavaNames.offsetConstant(name);
            String earlier = constants.putIfAbsent(constant, name);
            if (earlier != null) {
                reporter.report(Diagnostic.DUPLICATE_JAVA_NAME, component, name, constant,
                        StructRecord.codec(ClassName.get(record)).simpleName(), "'" + earlier + "'");
                continue;
            }
            String sections = sectionAnnotations(component);
            if (!sections.isEmpty()) {
                reporter.report(Diagnostic.SECTION_IN_STRUCT, component, name, sections, record.getSimpleName());
                continue;
            }
            mapper.map(component).ifPresent(type -> fields.add(new CType.Field(name, type)));
        }
        mapper.exit();
        if (reporter.hasErrors()) {
            return Optional.empty();
        }
        String qualified = record.getQualifiedName().toString();
        CType.Struct struct = new CType.Struct(tag, qualified, fields, true);
        warnAboutHoles(reporter, record, struct);
        Map<String, ClassName> classes = new HashMap<>(mapper.javaClasses());
        classes.put(qualified, ClassName.get(record));
        return Optional.of(new StructRecord(record, ClassName.get(record), elements.getBinaryName(record).toString(),
                struct, classes));
    }

    /** The annotation's tag, or the record's name in snake case; reports a tag C cannot use. */
    private static String tag(TypeElement record, ValidationReport.Builder reporter) {
        String fallback = CNames.structTag("", record.getSimpleName().toString());
        String given = record.getAnnotation(BpfStruct.class).value();
        if (given.isEmpty()) {
            return fallback;
        }
        String reason = !C_IDENTIFIER.matcher(given).matches() ? "not a C identifier"
                : CNames.KEYWORDS.contains(given) ? "a C keyword"
                : given.startsWith("__") ? "names starting with __ are reserved in C" : null;
        if (reason != null) {
            reporter.report(Diagnostic.BAD_STRUCT_TAG, record, given, reason, fallback);
            return fallback;
        }
        return given;
    }

    private static String sectionAnnotations(RecordComponentElement component) {
        List<String> found = new ArrayList<>();
        if (component.getAnnotation(PerCpu.class) != null) {
            found.add("@PerCpu");
        }
        if (component.getAnnotation(Bss.class) != null) {
            found.add("@Bss");
        }
        if (component.getAnnotation(Rodata.class) != null) {
            found.add("@Rodata");
        }
        return String.join(" and ", found);
    }

    private static void warnAboutHoles(ValidationReport.Builder reporter, TypeElement record, CType.Struct struct) {
        List<Holes.Hole> holes = Holes.of(struct);
        SuppressWarnings suppress = record.getAnnotation(SuppressWarnings.class);
        if (holes.isEmpty() || (suppress != null && Arrays.asList(suppress.value()).contains(Diagnostic.PADDING_SUPPRESSION))) {
            return;
        }
        int total = holes.stream().mapToInt(Holes.Hole::length).sum();
        List<String> order = Holes.holeFreeOrder(struct);
        CType.Struct reordered = new CType.Struct(struct.tag(), struct.javaName(), order.stream()
                .map(name -> struct.fields().stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow())
                .toList());
        String advice = Holes.of(reordered).isEmpty()
                ? "the order " + String.join(", ", order) + " leaves no hole"
                : "no order of its members removes them all, so fill them with explicit members";
        reporter.report(Diagnostic.STRUCT_PADDING, record, struct.tag(), total,
                holes.stream().map(Holes.Hole::toString).collect(Collectors.joining(", ")), advice);
    }
}
