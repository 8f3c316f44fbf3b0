package dev.bpfglobals.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a record to be a C struct that BPF maps use as key or value. The processor lays it out
 * as clang does for the BPF target (component order, natural alignment, tail padding), writes
 * {@code struct TAG { ... };} into a header of its own ({@code META-INF/bpf-globals/<binary name>.h},
 * as for globals), and generates {@code <Record>Codec}, which a typed map of the runtime uses to
 * read and write such keys and values.
 *
 * <p>Components are the same as for globals: {@code byte}, {@code short}, {@code int}, {@code long}
 * (optionally {@link Unsigned}), {@code boolean}, {@code char}, enums, {@link Length} arrays of
 * those, and nested records. A nested {@code @BpfStruct} record keeps its own tag wherever it is
 * used (its definition is guarded, so headers that share it can be included together); a nested
 * plain record's tag is this struct's tag, an underscore and its name in snake case. No component
 * carries a section annotation: a struct member lives wherever the struct does.
 *
 * <p>{@link ElementType#TYPE} is the target (not only records) so that the processor can report the
 * annotation on a class, interface or enum with a clear message instead of the compiler's generic one.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface BpfStruct {

    /**
     * The struct's C tag.
     *
     * @return the tag, a C identifier; empty (the default) for the record's simple name in snake
     *         case ({@code FlowKey} gives {@code struct flow_key})
     */
    String value() default "";
}
