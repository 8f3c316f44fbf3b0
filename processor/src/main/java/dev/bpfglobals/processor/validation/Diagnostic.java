package dev.bpfglobals.processor.validation;

import javax.tools.Diagnostic.Kind;

/**
 * Every message the processor can report, each with a stable tag that tests and users can search
 * for. Messages are {@link String#format} patterns.
 */
public enum Diagnostic {
    /** A component of a type with no C equivalent, such as {@code String} or {@code List}. */
    UNSUPPORTED_TYPE(Kind.ERROR, "BpfGlobalsUnsupportedType",
            "component '%s' has type %s, which has no BPF global equivalent; use byte, short, int, long "
                    + "(optionally @Unsigned), boolean, char, an enum, a record, or an @Length array of those"),
    /** A {@code float} or {@code double} component: the BPF instruction set has no floating point. */
    FLOATING_POINT(Kind.ERROR, "BpfGlobalsFloatingPoint",
            "component '%s' is %s: BPF programs have no floating point; store a scaled integer instead"),
    /** A record that contains itself, directly or through other records, so its size would be infinite. */
    RECURSIVE_RECORD(Kind.ERROR, "BpfGlobalsRecursiveRecord",
            "component '%s' makes record %s contain itself; a C struct cannot contain itself"),
    /** An array component without {@code @Length}, whose C size would be unknown. */
    MISSING_LENGTH(Kind.ERROR, "BpfGlobalsMissingLength",
            "array component '%s' needs @Length(n): C arrays in a data section have a fixed length"),
    /** An {@code @Length} of zero or less. */
    BAD_LENGTH(Kind.ERROR, "BpfGlobalsBadLength",
            "array component '%s' has @Length(%d); the length must be at least 1"),
    /** An array of arrays: one {@code @Length} cannot give the lengths of both dimensions. */
    NESTED_ARRAY(Kind.ERROR, "BpfGlobalsNestedArray",
            "component '%s' is an array of arrays; wrap the inner array in a record instead"),
    /** {@code @Length} on a component that is not an array, where it would mean nothing. */
    LENGTH_ON_NON_ARRAY(Kind.ERROR, "BpfGlobalsLengthOnNonArray",
            "@Length is only for array components, but '%s' is %s"),
    /** {@code @Unsigned} on a component that is not an integer, such as a {@code boolean} or a record. */
    UNSIGNED_ON_NON_INTEGRAL(Kind.ERROR, "BpfGlobalsUnsignedOnNonIntegral",
            "@Unsigned is only for byte, short, int and long (or arrays of them), but '%s' is %s"),
    /** {@code @Counter}, {@code @Gauge} or {@code @Histogram} on a component an exporter cannot publish as a number. */
    METRIC_ON_NON_INTEGER(Kind.ERROR, "BpfGlobalsMetricOnNonInteger",
            "@%s is only for integer components (byte, short, int, long, or arrays of them), but '%s' is %s"),
    /** A component marked both {@code @Counter} and {@code @Gauge}. */
    COUNTER_AND_GAUGE(Kind.ERROR, "BpfGlobalsCounterAndGauge",
            "'%s' is both @Counter and @Gauge; a metric is one or the other"),
    /** {@code @Histogram} on anything but an {@code @Unsigned} integer array, whose elements are the buckets. */
    HISTOGRAM_ON_NON_UNSIGNED_ARRAY(Kind.ERROR, "BpfGlobalsHistogramOnNonUnsignedArray",
            "@Histogram is only for @Length arrays of @Unsigned integers (element i counts values up to 2^i), "
                    + "but '%s' is %s"),
    /** {@code @Histogram} next to {@code @Counter} or {@code @Gauge}, which would choose a second metric kind. */
    HISTOGRAM_WITH_KIND(Kind.ERROR, "BpfGlobalsHistogramWithKind",
            "'%s' is both @Histogram and @%s; a histogram's buckets are its metric, drop @%s"),
    /** A component named like a C keyword (e.g. {@code register}), which the generated header could not declare. */
    C_KEYWORD(Kind.ERROR, "BpfGlobalsCKeyword",
            "'%s' is a C keyword and cannot name a BPF global or struct member; rename the component"),
    /** A component whose C name clashes with a macro or type the generated header defines or reserves. */
    RESERVED_NAME(Kind.ERROR, "BpfGlobalsReservedName",
            "'%s' clashes with an identifier the generated header defines or reserves (%s); rename the component"),
    /** Two components or nested types that would define the same C global, struct or enum tag in one header. */
    DUPLICATE_C_NAME(Kind.ERROR, "BpfGlobalsDuplicateCName",
            "'%s' would be defined twice in the generated C header (also %s); C has one namespace for globals"),
    /** Two components whose generated Java constants would have the same upper-snake-case name. */
    DUPLICATE_JAVA_NAME(Kind.ERROR, "BpfGlobalsDuplicateJavaName",
            "'%s' would generate the Java constant %s in %s, which %s also generates; "
                    + "rename one of them (constants are in upper snake case, so sizeBuckets and size_buckets clash)"),
    /** A component whose getter would clash with a method the generated section view declares itself. */
    VIEW_METHOD_NAME(Kind.ERROR, "BpfGlobalsViewMethodName",
            "'%s' would generate the getter %s() of %s.%s, which the view declares for the whole section; "
                    + "rename the component"),
    /** A component with more than one section annotation ({@code @PerCpu}, {@code @Bss}, {@code @Rodata}). */
    TWO_SECTIONS(Kind.ERROR, "BpfGlobalsTwoSections",
            "'%s' is annotated %s, but a global lives in exactly one section; keep one of them "
                    + "(no annotation means .data)"),
    /** A record, or a record nested in one, with no components: an empty section or struct. */
    EMPTY_SECTION(Kind.ERROR, "BpfGlobalsEmptySection",
            "record %s declares no globals; give it at least one component"),
    /** A {@code .percpu} section larger than the kernel accepts as a per-CPU array value. */
    PERCPU_TOO_LARGE(Kind.ERROR, "BpfGlobalsPercpuTooLarge",
            "the .percpu section of %s is %d bytes; the kernel refuses per-CPU array values larger than "
                    + "32768 bytes (kernel/bpf/arraymap.c, array_map_alloc_check: round_up(value_size, 8) > "
                    + "PCPU_MIN_UNIT_SIZE gives E2BIG); move %s out of .percpu or shrink it"),
    /** A section annotation or {@code @BpfGlobals} outside a record, where it declares nothing. */
    NOT_IN_RECORD(Kind.ERROR, "BpfGlobalsNotInRecord",
            "@PerCpu is only for record components, but '%s' is in %s %s"),
    /** A warning: the section has padding that another component order would remove. */
    PADDING_WASTE(Kind.WARNING, "BpfGlobalsPadding",
            "%d of the %d bytes of section %s are padding; the order %s removes it "
                    + "(@SuppressWarnings(\"bpfglobals.padding\") on the record silences this)"),
    /** A warning: the global's name is a typedef in {@code vmlinux.h}, so programs that include it fail to compile. */
    VMLINUX_TYPEDEF_NAME(Kind.WARNING, "BpfGlobalsVmlinuxName",
            "'%s' is a typedef in vmlinux.h, so a BPF program that includes vmlinux.h cannot also define this global "
                    + "(clang: redefinition of '%s' as different kind of symbol); rename the component, or "
                    + "@SuppressWarnings(\"bpfglobals.vmlinux\") on the record if no program of it includes vmlinux.h"),
    /** {@code @BpfStruct} on a class, interface or enum: only a record's components describe a struct. */
    STRUCT_NOT_RECORD(Kind.ERROR, "BpfGlobalsStructNotRecord",
            "@BpfStruct is only for records, but %s is %s; declare it as a record"),
    /** A {@code @BpfStruct} record with no components: C has no empty structs. */
    EMPTY_STRUCT(Kind.ERROR, "BpfGlobalsEmptyStruct",
            "@BpfStruct record %s has no components; C has no empty structs, give it at least one"),
    /** A {@code @BpfStruct} tag that is not a C identifier, or is a keyword. */
    BAD_STRUCT_TAG(Kind.ERROR, "BpfGlobalsBadStructTag",
            "@BpfStruct(\"%s\") is not a usable C struct tag (%s); give a C identifier or leave it empty for %s"),
    /** A section annotation on a component of a {@code @BpfStruct} record, where it would mean nothing. */
    SECTION_IN_STRUCT(Kind.ERROR, "BpfGlobalsSectionInStruct",
            "'%s' is annotated %s, but a member of @BpfStruct record %s lives wherever the struct does; "
                    + "drop the annotation (globals belong in a record of their own)"),
    /** {@code @BpfStruct} and {@code @BpfGlobals} on one record, whose header and outputs would be written twice. */
    STRUCT_AND_GLOBALS(Kind.ERROR, "BpfGlobalsStructAndGlobals",
            "record %s is both @BpfStruct and @BpfGlobals; a record describes either a struct or globals, "
                    + "so split it (a globals record may have a component of the struct's type)"),
    /** A warning: a struct with holes, which a BPF program must zero before using it as a hash key. */
    STRUCT_PADDING(Kind.WARNING, "BpfGlobalsStructPadding",
            "struct %s has %d padding bytes (%s): as a hash map key its holes must be zero, so a BPF program "
                    + "must __builtin_memset the key before filling it, or lookups miss; %s "
                    + "(@SuppressWarnings(\"bpfglobals.padding\") on the record silences this)"),
    /** A bug in the processor, reported as an error on the record instead of a stack trace. */
    INTERNAL_ERROR(Kind.ERROR, "BpfGlobalsInternalError",
            "bpf-globals processor failed on %s: %s; please report this with the record");

    /** The key that suppresses {@link #PADDING_WASTE} in {@code @SuppressWarnings}. */
    public static final String PADDING_SUPPRESSION = "bpfglobals.padding";

    /** The key that suppresses {@link #VMLINUX_TYPEDEF_NAME} in {@code @SuppressWarnings}. */
    public static final String VMLINUX_SUPPRESSION = "bpfglobals.vmlinux";

    private final Kind kind;
    private final String tag;
    private final String pattern;

    Diagnostic(Kind kind, String tag, String pattern) {
        this.kind = kind;
        this.tag = tag;
        this.pattern = pattern;
    }

    /**
     * Whether the diagnostic fails the compilation.
     *
     * @return {@link Kind#ERROR}, or {@link Kind#WARNING} for advice the build can ignore
     */
    public Kind kind() {
        return kind;
    }

    /**
     * The tag that stays the same when the wording changes, so tests and users can search for it.
     *
     * @return the tag without brackets, e.g. {@code BpfGlobalsMissingLength}
     */
    public String tag() {
        return tag;
    }

    /**
     * The message javac shows.
     *
     * @param args the values of the message pattern's {@code %s} and {@code %d}, in order
     * @return the message with its arguments, prefixed by the bracketed tag
     */
    public String format(Object... args) {
        return "[" + tag + "] " + String.format(pattern, args);
    }
}
