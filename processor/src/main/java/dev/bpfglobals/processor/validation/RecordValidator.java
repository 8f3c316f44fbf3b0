package dev.bpfglobals.processor.validation;

import com.palantir.javapoet.ClassName;
import dev.bpfglobals.annotations.Bss;
import dev.bpfglobals.annotations.Counter;
import dev.bpfglobals.annotations.Gauge;
import dev.bpfglobals.annotations.Histogram;
import dev.bpfglobals.annotations.PerCpu;
import dev.bpfglobals.annotations.Rodata;
import dev.bpfglobals.processor.layout.CType;
import dev.bpfglobals.processor.layout.SectionLayout;
import dev.bpfglobals.processor.model.CNames;
import dev.bpfglobals.processor.model.GlobalsComponent;
import dev.bpfglobals.processor.model.GlobalsRecord;
import dev.bpfglobals.processor.model.JavaNames;
import dev.bpfglobals.processor.model.MetricKinds;
import dev.bpfglobals.processor.model.Section;
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
 * Validates one annotated record into its own {@link ValidationReport}, with every problem on the
 * offending component (all in one pass, not just the first), and, when the report has no error,
 * the {@link GlobalsRecord} to generate from.
 */
public final class RecordValidator {

    /**
     * The largest per-CPU array value the kernel accepts: kernel/bpf/arraymap.c,
     * {@code array_map_alloc_check}, refuses {@code round_up(value_size, 8) > PCPU_MIN_UNIT_SIZE}
     * (32 KiB, include/linux/percpu.h) with E2BIG. The runtime's PerCpuGlobalsTest sees 32769 refused.
     */
    public static final int MAX_PERCPU_VALUE_SIZE = 32768;

    private final Elements elements;

    /**
     * A validator that resolves names and annotations through javac.
     *
     * @param elements the processing environment's element utilities
     */
    public RecordValidator(Elements elements) {
        this.elements = elements;
    }

    /**
     * Checks one record and everything nested in it, reporting every problem rather than the first.
     *
     * @param record the annotated record
     * @return the report about {@code record}, and its model when the report has no error
     */
    public ValidatedRecord validate(TypeElement record) {
        // One report per record: a record's outputs depend on its own errors, not on an earlier record's.
        ValidationReport.Builder report = ValidationReport.about(record);
        Optional<GlobalsRecord> model = validate(record, report);
        return new ValidatedRecord(report.build(), report.hasErrors() ? Optional.empty() : model);
    }

    private Optional<GlobalsRecord> validate(TypeElement record, ValidationReport.Builder reporter) {
        if (record.getRecordComponents().isEmpty()) {
            reporter.report(Diagnostic.EMPTY_SECTION, record, record.getQualifiedName());
            return Optional.empty();
        }
        String prefix = CNames.snakeCase(record.getSimpleName().toString());
        TypeMapper mapper = new TypeMapper(reporter, prefix);
        mapper.enter(record);
        List<GlobalsComponent> components = new ArrayList<>();
        NameClaims names = new NameClaims(reporter, prefix, JavaNames.accessor(ClassName.get(record)).simpleName());
        for (RecordComponentElement component : record.getRecordComponents()) {
            String name = component.getSimpleName().toString();
            if (!checkName(reporter, component, name, prefix)) {
                continue;
            }
            if (CNames.VMLINUX_TYPEDEFS.contains(name) && !suppressed(record, Diagnostic.VMLINUX_SUPPRESSION)) {
                reporter.report(Diagnostic.VMLINUX_TYPEDEF_NAME, component, name, name);
            }
            Optional<CType> type = mapper.map(component);
            if (type.isEmpty()) {
                continue;
            }
            checkMetric(reporter, component, name, type.get());
            names.claimAll(component, name, type.get());
            Optional<Section> section = section(reporter, component, name);
            if (section.isEmpty()) {
                continue;
            }
            if (section.get() != Section.PERCPU && JavaNames.VIEW_METHODS.contains(name)) {
                reporter.report(Diagnostic.VIEW_METHOD_NAME, component, name, name,
                        JavaNames.accessor(ClassName.get(record)).simpleName(), section.get().viewClass());
            }
            components.add(new GlobalsComponent(name, type.get(), component.asType(), component, section.get()));
        }
        mapper.exit();
        if (reporter.hasErrors()) {
            return Optional.empty();
        }
        Map<String, ClassName> classes = new HashMap<>(mapper.javaClasses());
        GlobalsRecord model = new GlobalsRecord(record, ClassName.get(record),
                elements.getBinaryName(record).toString(), components, classes);
        if (model.has(Section.PERCPU)) {
            checkPercpuSize(reporter, model, model.layout(Section.PERCPU));
        }
        model.sections().forEach(section -> warnAboutPadding(reporter, record, model.layout(section)));
        return Optional.of(model);
    }

    /** The one section {@code component}'s annotation puts it in ({@code .data} without one); empty after reporting two. */
    private static Optional<Section> section(ValidationReport.Builder reporter, RecordComponentElement component, String name) {
        Map<Section, String> annotated = new java.util.EnumMap<>(Section.class);
        if (component.getAnnotation(PerCpu.class) != null) {
            annotated.put(Section.PERCPU, "@PerCpu");
        }
        if (component.getAnnotation(Bss.class) != null) {
            annotated.put(Section.BSS, "@Bss");
        }
        if (component.getAnnotation(Rodata.class) != null) {
            annotated.put(Section.RODATA, "@Rodata");
        }
        if (annotated.size() > 1) {
            reporter.report(Diagnostic.TWO_SECTIONS, component, name, String.join(" and ", annotated.values()));
            return Optional.empty();
        }
        return Optional.of(annotated.keySet().stream().findFirst().orElse(Section.DATA));
    }

    private static boolean checkName(ValidationReport.Builder reporter, RecordComponentElement component, String name,
            String prefix) {
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

    /**
     * {@code @Counter}/{@code @Gauge}/{@code @Histogram}: one of them at most, and only where there is
     * a number to export (for a histogram, an array of unsigned counts).
     */
    private static void checkMetric(ValidationReport.Builder reporter, RecordComponentElement component, String name,
            CType type) {
        boolean counter = component.getAnnotation(Counter.class) != null;
        boolean gauge = component.getAnnotation(Gauge.class) != null;
        if (component.getAnnotation(Histogram.class) != null) {
            if (counter || gauge) {
                String other = counter ? "Counter" : "Gauge";
                reporter.report(Diagnostic.HISTOGRAM_WITH_KIND, component, name, other, other);
            } else if (!MetricKinds.unsignedArray(type)) {
                reporter.report(Diagnostic.HISTOGRAM_ON_NON_UNSIGNED_ARRAY, component, name, type.contractName());
            }
        } else if (counter && gauge) {
            reporter.report(Diagnostic.COUNTER_AND_GAUGE, component, name);
        } else if ((counter || gauge) && !MetricKinds.integer(type)) {
            reporter.report(Diagnostic.METRIC_ON_NON_INTEGER, component, counter ? "Counter" : "Gauge", name,
                    component.asType());
        }
    }

    private static void checkPercpuSize(ValidationReport.Builder reporter, GlobalsRecord model, SectionLayout layout) {
        if (layout.size() <= MAX_PERCPU_VALUE_SIZE) {
            return;
        }
        CType.Placed first = layout.variables().stream()
                .filter(v -> v.end() > MAX_PERCPU_VALUE_SIZE).findFirst().orElseThrow();
        GlobalsComponent culprit = model.components(Section.PERCPU).stream()
                .filter(c -> c.name().equals(first.name())).findFirst().orElseThrow();
        reporter.report(Diagnostic.PERCPU_TOO_LARGE, culprit.element(), model.className().canonicalName(),
                layout.size(), first.name());
    }

    private static void warnAboutPadding(ValidationReport.Builder reporter, TypeElement record, SectionLayout layout) {
        if (layout.padding() * 4 <= layout.size() || suppressed(record, Diagnostic.PADDING_SUPPRESSION)) {
            return;
        }
        reporter.report(Diagnostic.PADDING_WASTE, record, layout.padding(), layout.size(), layout.name(),
                String.join(", ", layout.paddingFreeOrder()));
    }

    private static boolean suppressed(TypeElement record, String key) {
        SuppressWarnings suppress = record.getAnnotation(SuppressWarnings.class);
        return suppress != null && Arrays.asList(suppress.value()).contains(key);
    }
}
