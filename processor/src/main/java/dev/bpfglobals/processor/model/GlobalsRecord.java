package dev.bpfglobals.processor.model;

import com.palantir.javapoet.ClassName;
import dev.bpfglobals.processor.layout.CType;
import dev.bpfglobals.processor.layout.SectionLayout;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.TypeElement;

/**
 * A validated record and the global sections it declares.
 *
 * @param element    the annotated record
 * @param className  its Java name
 * @param binaryName its binary name ({@code pkg.Outer$Inner}), used for resource file names
 * @param components every component in record order, each with its section
 * @param records    the Java class of every nested record and enum, by fully qualified name
 */
public record GlobalsRecord(TypeElement element, ClassName className, String binaryName,
        List<GlobalsComponent> components, Map<String, ClassName> records) {

    /** Copies the lists, so the model cannot change under the generators. */
    public GlobalsRecord {
        components = List.copyOf(components);
        records = Map.copyOf(records);
    }

    /** {@return the sections that have components, in contract order: {@code .percpu} first} */
    public List<Section> sections() {
        return Arrays.stream(Section.values()).filter(this::has).toList();
    }

    /**
     * Whether the record declares globals in a section, and so its outputs mention the section.
     *
     * @param section the section asked about
     * @return {@code true} if any component lives in {@code section}
     */
    public boolean has(Section section) {
        return !components(section).isEmpty();
    }

    /**
     * The components that live in one section.
     *
     * @param section the section asked about
     * @return its components, in record order (maybe none)
     */
    public List<GlobalsComponent> components(Section section) {
        return components.stream().filter(c -> c.section() == section).toList();
    }

    /**
     * The layout clang gives one section, which the header, the accessor and the contract share.
     *
     * @param section the section asked about
     * @return its layout (no variables if it has no components)
     */
    public SectionLayout layout(Section section) {
        return SectionLayout.of(section.elfName(),
                components(section).stream().map(c -> new CType.Field(c.name(), c.type())).toList());
    }

    /** {@return whether the record spans more than one section, so that each section decodes to a part record} */
    public boolean mixed() {
        return sections().size() > 1;
    }

    /** {@return the C prefix of generated identifiers: the record's simple name in snake case} */
    public String cPrefix() {
        return CNames.snakeCase(className.simpleName());
    }
}
