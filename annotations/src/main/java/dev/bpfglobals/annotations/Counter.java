package dev.bpfglobals.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Exports an integer component ({@code byte}, {@code short}, {@code int}, {@code long}, or an
 * array of them) as a counter, a total that only grows, such as packets seen: Prometheus names it
 * {@code ..._total} and queries it with {@code rate()}. The processor records the choice in the
 * contract ({@code "metric": "counter"}).
 *
 * <p>Without {@code @Counter} or {@link Gauge}, an {@link Unsigned} integer in {@code .percpu} is a
 * counter and every other integer a gauge.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD})
public @interface Counter {
}
