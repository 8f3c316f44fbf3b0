package dev.bpfglobals.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Exports an integer component ({@code byte}, {@code short}, {@code int}, {@code long}, or an
 * array of them) as a gauge, a value that goes up and down, such as packets in flight or a
 * configured limit. The processor records the choice in the contract ({@code "metric": "gauge"}).
 *
 * <p>Without {@link Counter} or {@code @Gauge}, an {@link Unsigned} integer in {@code .percpu} is a
 * counter and every other integer a gauge.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD})
public @interface Gauge {
}
