package dev.bpfglobals.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Gives an array component its fixed C length, e.g. {@code @Length(8) long[] buckets} is
 * {@code __s64 buckets[8]}. Required on every array component; arrays of primitives, enums and
 * nested records are supported, arrays of arrays are not.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD})
public @interface Length {

    /**
     * The number of elements in the C array, at least 1. The BPF program sees exactly this many,
     * and the generated accessor refuses an index outside it.
     *
     * @return the fixed element count of the array component
     */
    int value();
}
