package dev.bpfglobals.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a record component to be a per-CPU BPF global variable: one variable in the object's
 * {@code .percpu} ELF section, which libbpf turns into a single {@code BPF_MAP_TYPE_PERCPU_ARRAY}
 * map named {@code .percpu} holding one copy of the whole section per possible CPU.
 *
 * <p>Variables are laid out in component order, exactly as clang lays out the generated header.
 * Components of the same record without a section annotation become ordinary globals in
 * {@code .data}; {@link Bss} and {@link Rodata} put them in {@code .bss} and {@code .rodata}.
 * A BPF object has one {@code .percpu} section, so one record describes all of it; combine records
 * meant for the same object into one (nesting records is fine).
 *
 * <p>{@link ElementType#FIELD} is a target only so that the processor can report {@code @PerCpu}
 * used outside a record with a clear message instead of the compiler's generic one.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD})
public @interface PerCpu {
}
