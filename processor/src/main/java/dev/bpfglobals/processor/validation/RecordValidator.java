package dev.bpfglobals.processor.validation;

import com.palantir.javapoet.ClassName;
import dev.bpfglobals.annotations.PerCpu;
import dev.bpfglobals.processor.Diagnostic;
import dev.bpfglobals.processor.layout.CType;
import dev.bpfglobals.processor.layout.SectionLayout;
import dev.bpfglobals.processor.model.CNames;
import dev.bpfglobals.processor.model.GlobalsComponent;
import dev.bpfglobals.processor.model.GlobalsRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.lang.model.element.RecordComponentElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;

/**
 * Turns an annotated record into a {@link GlobalsRecord}, or reports on the offending components
 * why it cannot be one. All problems are reported in one pass, not just the first.
 */
public final class RecordValidator {

    /** The kernel's largest per-CPU array value: PCPU_MIN_UNIT_SIZE (CONTRACT.md, measured here). */
    public static final int MAX_PERCPU_VALUE_SIZE = 32768;

    private final Reporter reporter;
    private final Elements elements;

    public RecordValidator(Reporter reporter, Elements elements) {
        this.reporter = reporter;
        this.elements = elements;
    }

    /** The model of {@code record}, or empty when an error was reported. */
    public Optional<GlobalsRecord> validate(TypeElement record) {
        if (record.getRecordComponents().isEmpty()) {
            reporter.report(Diagnostic.EMPTY_SECTION, record, record.getQualifiedName());
            return Optional.empty();
        }
        boolean errorsBefore = reporter.hadErrors();
        TypeMapper mapper = new TypeMapper(reporter);
        mapper.enter(record);
        List<GlobalsComponent> percpu = new ArrayList<>();
        List<GlobalsComponent> data = new ArrayList<>();
        String prefix = CNames.snakeCase(record.getSimpleName().toString());
        Map<String, String> globalNames = new HashMap<>();
        Map<String, String> tags = new HashMap<>();
        for (RecordComponentElement component : record.getRecordComponents()) {
            String name = component.getSimpleName().toString();
            if (!checkName(component, name, prefix)) {
                continue;
            }
            Optional<CType> type = mapper.map(component);
            if (type.isEmpty()) {
                continue;
            }
            claimNames(component, name, type.get(), globalNames, tags);
            GlobalsComponent global = new GlobalsComponent(name, type.get(), component.asType(), component);
            (component.getAnnotation(PerCpu.class) != null ? percpu : data).add(global);
        }
        mapper.exit();
        if (reporter.hadErrors() && !errorsBefore) {
            return Optional.empty();
        }
        Map<String, ClassName> classes = new HashMap<>(mapper.javaClasses());
        GlobalsRecord model = new GlobalsRecord(record, ClassName.get(record),
                elements.getBinaryName(record).toString(), percpu, data, classes);
        model.percpuLayout().ifPresent(layout -> checkPercpuSize(model, layout));
        model.sections().forEach(layout -> warnAboutPadding(record, layout));
        return reporter.hadErrors() && !errorsBefore ? Optional.empty() : Optional.of(model);
    }

    private boolean checkName(RecordComponentElement component, String name, String prefix) {
        if (CNames.KEYWORDS.contains(name)) {
            reporter.report(Diagnostic.C_KEYWORD, component, name);
            return false;
        }
        String reason = null;
        if (name.startsWith("__")) {
            reason = "names starting with __ are reserved in C";
        } else if (name.startsWith("bpf_globals") || name.startsWith("BPF_GLOBALS")) {
            reason = "the bpf_globals prefix belongs to generated identifiers";
        } else if (CNames.HEADER_NAMES.contains(name)) {
            reason = "defined by the headers the generated header includes";
        } else if (name.startsWith(prefix + "_")) {
            reason = "the " + prefix + "_ prefix names the generated struct and functions";
        }
        if (reason != null) {
            reporter.report(Diagnostic.RESERVED_NAME, component, name, reason);
            return false;
        }
        return true;
    }

    /** Registers every file-scope C identifier {@code type} brings along and reports clashes. */
    private void claimNames(RecordComponentElement component, String name, CType type,
            Map<String, String> globalNames, Map<String, String> tags) {
        claim(component, name, "variable " + name, globalNames);
        forEachNamedType(type, named -> {
            if (named instanceof CType.Struct struct) {
                claimTag(component, struct.tag(), struct.javaName(), tags);
            } else if (named instanceof CType.Enum e) {
                if (claimTag(component, e.tag(), e.javaName(), tags)) {
                    e.constants().forEach(c -> claim(component, enumConstant(e, c), "constant of " + e.javaName(), globalNames));
                }
            }
        });
    }

    private boolean claimTag(RecordComponentElement component, String tag, String javaName, Map<String, String> tags) {
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

    /** The C spelling of an enum constant: the enum tag in upper case, then the Java name. */
    public static String enumConstant(CType.Enum type, String constant) {
        return type.tag().toUpperCase(java.util.Locale.ROOT) + "_" + constant;
    }

    private static void forEachNamedType(CType type, java.util.function.Consumer<CType> action) {
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

    private void checkPercpuSize(GlobalsRecord model, SectionLayout layout) {
        if (layout.size() <= MAX_PERCPU_VALUE_SIZE) {
            return;
        }
        CType.Placed first = layout.variables().stream()
                .filter(v -> v.end() > MAX_PERCPU_VALUE_SIZE).findFirst().orElseThrow();
        GlobalsComponent culprit = model.percpu().stream()
                .filter(c -> c.name().equals(first.name())).findFirst().orElseThrow();
        reporter.report(Diagnostic.PERCPU_TOO_LARGE, culprit.element(), model.className().canonicalName(),
                layout.size(), first.name());
    }

    private void warnAboutPadding(TypeElement record, SectionLayout layout) {
        if (layout.padding() * 4 <= layout.size() || suppressed(record)) {
            return;
        }
        reporter.report(Diagnostic.PADDING_WASTE, record, layout.padding(), layout.size(), layout.name(),
                String.join(", ", layout.paddingFreeOrder()));
    }

    private static boolean suppressed(TypeElement record) {
        SuppressWarnings suppress = record.getAnnotation(SuppressWarnings.class);
        return suppress != null && Arrays.asList(suppress.value()).contains(Diagnostic.PADDING_SUPPRESSION);
    }
}
