package dev.bpfglobals.processor.model;

import com.palantir.javapoet.ClassName;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Names of the generated accessor's members that come from component names. Java constants are
 * in constant case, so distinct components ({@code sizeBuckets}, {@code size_buckets}) can map to
 * one constant; validation checks these names so that such a clash is an error on the record, not
 * a javac error inside the generated file.
 */
public final class JavaNames {

    /** What each section's constants hold: {@code PERCPU_SECTION}, {@code DATA_VALUE_SIZE}, ... */
    private static final List<String> SECTION_CONSTANT_NAMES = List.of(
            "SECTION", "MAP_TYPE", "KEY_SIZE", "VALUE_SIZE", "MAX_ENTRIES", "ALIGNMENT", "LAYOUT");

    /**
     * Constants the accessor declares for its sections and contract whatever the components are
     * ({@code SectionSpec} and {@code JavaAccessorGenerator} write them): a component constant
     * such as {@code PERCPU_KEY_SIZE} (component {@code percpuKey}) would collide with one.
     */
    public static final Set<String> SECTION_CONSTANTS = Stream.concat(
            Stream.of("CONTRACT"), Arrays.stream(Section.values()).flatMap(section -> Stream.concat(
                    Stream.of(section.constantPrefix()), SECTION_CONSTANT_NAMES.stream().map(section::constant))))
            .collect(Collectors.toUnmodifiableSet());

    /** Methods without parameters that a section's view declares itself, so no component's getter may take their names. */
    public static final Set<String> VIEW_METHODS = Set.of("read", "view");

    private JavaNames() {
    }

    /**
     * The class the processor generates for a record.
     *
     * @param record the annotated record
     * @return its accessor: same package, {@code Outer_InnerGlobals} for nested records
     */
    public static ClassName accessor(ClassName record) {
        return ClassName.get(record.packageName(), String.join("_", record.simpleNames()) + "Globals");
    }

    /**
     * The accessor's constant holding a variable's offset in its section.
     *
     * @param component the component's name, e.g. {@code sizeBuckets}
     * @return e.g. {@code SIZE_BUCKETS_OFFSET}
     */
    public static String offsetConstant(String component) {
        return CNames.constantCase(component) + "_OFFSET";
    }

    /**
     * The accessor's constant holding a variable's size in bytes.
     *
     * @param component the component's name, e.g. {@code sizeBuckets}
     * @return e.g. {@code SIZE_BUCKETS_SIZE}
     */
    public static String sizeConstant(String component) {
        return CNames.constantCase(component) + "_SIZE";
    }

    /**
     * Every constant the accessor declares for a component, which validation claims so two
     * components cannot generate the same one.
     *
     * @param component the component's name
     * @return the constants' names
     */
    public static List<String> constantsOf(String component) {
        return List.of(offsetConstant(component), sizeConstant(component));
    }
}
