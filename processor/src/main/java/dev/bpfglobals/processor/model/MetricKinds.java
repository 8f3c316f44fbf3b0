package dev.bpfglobals.processor.model;

import dev.bpfglobals.annotations.Counter;
import dev.bpfglobals.annotations.Gauge;
import dev.bpfglobals.annotations.Histogram;
import dev.bpfglobals.contract.MetricKind;
import dev.bpfglobals.processor.layout.CType;

/**
 * The metric kind the contract records for a component: {@code @Counter}, {@code @Gauge} or
 * {@code @Histogram} where the record says, else {@link MetricKind#defaultFor}; none for what is not an integer.
 */
public final class MetricKinds {

    private MetricKinds() {
    }

    /**
     * Whether an exporter can publish a value of this type as a number.
     *
     * @param type a component's C type
     * @return {@code true} for an integer or an array of integers (not {@code boolean}, {@code char}, enums, records)
     */
    public static boolean integer(CType type) {
        CType element = type instanceof CType.Array array ? array.element() : type;
        return element instanceof CType.Scalar scalar && scalar.kind().integral();
    }

    /**
     * Whether a value of this type can be a {@code @Histogram}'s buckets.
     *
     * @param type a component's C type
     * @return {@code true} for an array of unsigned integers
     */
    public static boolean unsignedArray(CType type) {
        return type instanceof CType.Array array && array.element() instanceof CType.Scalar scalar
                && scalar.kind().integral() && !scalar.kind().signed();
    }

    /**
     * The metric kind the contract records for a component.
     *
     * @param component the component
     * @param section   the section it lives in, which decides the default
     * @return its kind, or {@code null} if it is not an integer (the contract then has no {@code "metric"})
     */
    public static MetricKind of(GlobalsComponent component, Section section) {
        if (!integer(component.type())) {
            return null;
        }
        if (component.element().getAnnotation(Histogram.class) != null) {
            return MetricKind.LOG2_HISTOGRAM;
        }
        if (component.element().getAnnotation(Counter.class) != null) {
            return MetricKind.COUNTER;
        }
        if (component.element().getAnnotation(Gauge.class) != null) {
            return MetricKind.GAUGE;
        }
        CType element = component.type() instanceof CType.Array array ? array.element() : component.type();
        return MetricKind.defaultFor(section.elfName(), !((CType.Scalar) element).kind().signed());
    }
}
