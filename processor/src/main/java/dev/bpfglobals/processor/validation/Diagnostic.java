package dev.bpfglobals.processor.validation;

import javax.tools.Diagnostic.Kind;

/**
 * Every message the processor can report, each with a stable tag that tests and users can search
 * for. Messages are {@link String#format} patterns.
 */
public enum Diagnostic {
    UNSUPPORTED_TYPE(Kind.ERROR, "BpfGlobalsUnsupportedType",
            "component '%s' has type %s, which has no BPF global equivalent; use byte, short, int, long "
                    + "(optionally @Unsigned), boolean, char, an enum, a record, or an @Length array of those"),
    FLOATING_POINT(Kind.ERROR, "BpfGlobalsFloatingPoint",
            "component '%s' is %s: BPF programs have no floating point; store a scaled integer instead"),
    RECURSIVE_RECORD(Kind.ERROR, "BpfGlobalsRecursiveRecord",
            "component '%s' makes record %s contain itself; a C struct cannot contain itself"),
    MISSING_LENGTH(Kind.ERROR, "BpfGlobalsMissingLength",
            "array component '%s' needs @Length(n): C arrays in a data section have a fixed length"),
    BAD_LENGTH(Kind.ERROR, "BpfGlobalsBadLength",
            "array component '%s' has @Length(%d); the length must be at least 1"),
    NESTED_ARRAY(Kind.ERROR, "BpfGlobalsNestedArray",
            "component '%s' is an array of arrays; wrap the inner array in a record instead"),
    LENGTH_ON_NON_ARRAY(Kind.ERROR, "BpfGlobalsLengthOnNonArray",
            "@Length is only for array components, but '%s' is %s"),
    UNSIGNED_ON_NON_INTEGRAL(Kind.ERROR, "BpfGlobalsUnsignedOnNonIntegral",
            "@Unsigned is only for byte, short, int and long (or arrays of them), but '%s' is %s"),
    METRIC_ON_NON_INTEGER(Kind.ERROR, "BpfGlobalsMetricOnNonInteger",
            "@%s is only for integer components (byte, short, int, long, or arrays of them), but '%s' is %s"),
    COUNTER_AND_GAUGE(Kind.ERROR, "BpfGlobalsCounterAndGauge",
            "'%s' is both @Counter and @Gauge; a metric is one or the other"),
    HISTOGRAM_ON_NON_UNSIGNED_ARRAY(Kind.ERROR, "BpfGlobalsHistogramOnNonUnsignedArray",
            "@Histogram is only for @Length arrays of @Unsigned integers (element i counts values up to 2^i), "
                    + "but '%s' is %s"),
    HISTOGRAM_WITH_KIND(Kind.ERROR, "BpfGlobalsHistogramWithKind",
            "'%s' is both @Histogram and @%s; a histogram's buckets are its metric, drop @%s"),
    C_KEYWORD(Kind.ERROR, "BpfGlobalsCKeyword",
            "'%s' is a C keyword and cannot name a BPF global or struct member; rename the component"),
    RESERVED_NAME(Kind.ERROR, "BpfGlobalsReservedName",
            "'%s' clashes with an identifier the generated header defines or reserves (%s); rename the component"),
    DUPLICATE_C_NAME(Kind.ERROR, "BpfGlobalsDuplicateCName",
            "'%s' would be defined twice in the generated C header (also %s); C has one namespace for globals"),
    DUPLICATE_JAVA_NAME(Kind.ERROR, "BpfGlobalsDuplicateJavaName",
            "'%s' would generate the Java constant %s in %s, which %s also generates; "
                    + "rename one of them (constants are in upper snake case, so sizeBuckets and size_buckets clash)"),
    VIEW_METHOD_NAME(Kind.ERROR, "BpfGlobalsViewMethodName",
            "'%s' would generate the getter %s() of %s.%s, which the view declares for the whole section; "
                    + "rename the component"),
    TWO_SECTIONS(Kind.ERROR, "BpfGlobalsTwoSections",
            "'%s' is annotated %s, but a global lives in exactly one section; keep one of them "
                    + "(no annotation means .data)"),
    EMPTY_SECTION(Kind.ERROR, "BpfGlobalsEmptySection",
            "record %s declares no globals; give it at least one component"),
    PERCPU_TOO_LARGE(Kind.ERROR, "BpfGlobalsPercpuTooLarge",
            "the .percpu section of %s is %d bytes; the kernel refuses per-CPU array values larger than "
                    + "32768 bytes (kernel/bpf/arraymap.c, array_map_alloc_check: round_up(value_size, 8) > "
                    + "PCPU_MIN_UNIT_SIZE gives E2BIG); move %s out of .percpu or shrink it"),
    NOT_IN_RECORD(Kind.ERROR, "BpfGlobalsNotInRecord",
            "@PerCpu is only for record components, but '%s' is in %s %s"),
    PADDING_WASTE(Kind.WARNING, "BpfGlobalsPadding",
            "%d of the %d bytes of section %s are padding; the order %s removes it "
                    + "(@SuppressWarnings(\"bpfglobals.padding\") on the record silences this)"),
    VMLINUX_TYPEDEF_NAME(Kind.WARNING, "BpfGlobalsVmlinuxName",
            "'%s' is a typedef in vmlinux.h, so a BPF program that includes vmlinux.h cannot also define this global "
                    + "(clang: redefinition of '%s' as different kind of symbol); rename the component, or "
                    + "@SuppressWarnings(\"bpfglobals.vmlinux\") on the record if no program of it includes vmlinux.h"),
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

    /** Error or warning. */
    public Kind kind() {
        return kind;
    }

    /** The stable tag, without brackets. */
    public String tag() {
        return tag;
    }

    /** The message with its arguments, prefixed by the bracketed tag. */
    public String format(Object... args) {
        return "[" + tag + "] " + String.format(pattern, args);
    }
}
