package dev.bpfglobals.processor.model;

import com.palantir.javapoet.ClassName;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Names of the generated accessor's members that come from component names. Java constants are
 * in constant case, so distinct components ({@code sizeBuckets}, {@code size_buckets}) can map to
 * one constant; validation checks these names so that such a clash is an error on the record, not
 * a javac error inside the generated file.
 */
public final class JavaNames {

    /**
     * Constants the accessor declares for its sections and contract whatever the components are
     * ({@code SectionSpec} and {@code JavaAccessorGenerator} write them): a component constant
     * such as {@code PERCPU_KEY_SIZE} (component {@code percpuKey}) would collide with one.
     */
    public static final Set<String> SECTION_CONSTANTS = Stream.concat(
            Stream.of("CONTRACT", "PERCPU", "DATA"),
            Stream.of(GlobalsRecord.PERCPU_SECTION, GlobalsRecord.DATA_SECTION).flatMap(section -> Stream.of("SECTION",
                    "MAP_TYPE", "KEY_SIZE", "VALUE_SIZE", "MAX_ENTRIES", "ALIGNMENT", "LAYOUT")
                    .map(what -> sectionConstant(section, what))))
            .collect(java.util.stream.Collectors.toUnmodifiableSet());

    private JavaNames() {
    }

    /** The generated accessor of {@code record}: same package, {@code Outer_InnerGlobals} for nested records. */
    public static ClassName accessor(ClassName record) {
        return ClassName.get(record.packageName(), String.join("_", record.simpleNames()) + "Globals");
    }

    /** {@code PERCPU} or {@code DATA}: what the accessor's members of {@code section} are named after. */
    public static String sectionPrefix(String section) {
        return section.equals(GlobalsRecord.PERCPU_SECTION) ? "PERCPU" : "DATA";
    }

    /** A section's constant: {@code (".percpu", "VALUE_SIZE")} -> {@code PERCPU_VALUE_SIZE}. */
    public static String sectionConstant(String section, String what) {
        return sectionPrefix(section) + "_" + what;
    }

    /** {@code sizeBuckets} -> {@code SIZE_BUCKETS_OFFSET}: the variable's offset in its section. */
    public static String offsetConstant(String component) {
        return CNames.constantCase(component) + "_OFFSET";
    }

    /** {@code sizeBuckets} -> {@code SIZE_BUCKETS_SIZE}: the variable's size in bytes. */
    public static String sizeConstant(String component) {
        return CNames.constantCase(component) + "_SIZE";
    }

    /** Every constant the accessor declares for {@code component}. */
    public static List<String> constantsOf(String component) {
        return List.of(offsetConstant(component), sizeConstant(component));
    }
}
