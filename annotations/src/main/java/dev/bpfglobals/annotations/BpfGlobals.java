package dev.bpfglobals.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a record as a description of BPF globals even when none of its components carries a
 * section annotation (all of them then live in {@code .data}). A record with at least one
 * {@link PerCpu}, {@link Bss} or {@link Rodata} component is processed without this marker.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface BpfGlobals {
}
