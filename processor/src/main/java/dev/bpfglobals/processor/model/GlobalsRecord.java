package dev.bpfglobals.processor.model;

import com.palantir.javapoet.ClassName;
import dev.bpfglobals.processor.layout.CType;
import dev.bpfglobals.processor.layout.SectionLayout;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.lang.model.element.TypeElement;

/**
 * A validated record and the global sections it declares.
 *
 * @param element    the annotated record
 * @param className  its Java name
 * @param binaryName its binary name ({@code pkg.Outer$Inner}), used for resource file names
 * @param percpu     the {@code @PerCpu} components in order (maybe empty)
 * @param data       the other components in order (maybe empty)
 * @param records    the Java class of every nested record and enum, by fully qualified name
 */
public record GlobalsRecord(TypeElement element, ClassName className, String binaryName,
        List<GlobalsComponent> percpu, List<GlobalsComponent> data, Map<String, ClassName> records) {

    /** The section name of per-CPU globals. */
    public static final String PERCPU_SECTION = ".percpu";
    /** The section name of ordinary initialised globals. */
    public static final String DATA_SECTION = ".data";

    /** Copies the lists. */
    public GlobalsRecord {
        percpu = List.copyOf(percpu);
        data = List.copyOf(data);
        records = Map.copyOf(records);
    }

    /** The layout of {@code .percpu}, if the record has per-CPU components. */
    public Optional<SectionLayout> percpuLayout() {
        return percpu.isEmpty() ? Optional.empty() : Optional.of(layout(PERCPU_SECTION, percpu));
    }

    /** The layout of {@code .data}, if the record has other components. */
    public Optional<SectionLayout> dataLayout() {
        return data.isEmpty() ? Optional.empty() : Optional.of(layout(DATA_SECTION, data));
    }

    /** Both sections in contract order: {@code .percpu} first. */
    public List<SectionLayout> sections() {
        return java.util.stream.Stream.of(percpuLayout(), dataLayout()).flatMap(Optional::stream).toList();
    }

    /** The components of {@code section}. */
    public List<GlobalsComponent> components(String section) {
        return section.equals(PERCPU_SECTION) ? percpu : data;
    }

    /** Whether the record spans both sections, so each section decodes to a part record. */
    public boolean mixed() {
        return !percpu.isEmpty() && !data.isEmpty();
    }

    /** The C prefix of generated identifiers: the record's simple name in snake case. */
    public String cPrefix() {
        return CNames.snakeCase(className.simpleName());
    }

    private static SectionLayout layout(String name, List<GlobalsComponent> components) {
        return SectionLayout.of(name, components.stream().map(c -> new CType.Field(c.name(), c.type())).toList());
    }
}
