package dev.bpfglobals.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a record component to be a zero-initialised BPF global variable: one variable in the
 * object's {@code .bss} ELF section, which libbpf (and the bpf-globals loader) turn into a
 * one-entry {@code BPF_MAP_TYPE_ARRAY} map named {@code .bss}, the same shape as {@code .data}.
 *
 * <p>The generated header defines it as {@code __u64 drops SEC(".bss") = 0;}, so clang puts it in
 * {@code .bss} in component order; the program starts from zeros unless Java sets an initial image
 * before load ({@code ObjectSpec.withGlobalImage(".bss", ...)}, encoded by the generated
 * {@code <Record>Globals.bssImage}). After load, the generated {@code bindBss} reads and writes it
 * in place, variable by variable. Use it for state a program builds up from zero, as libbpf
 * programs use plain zero-initialised globals.
 *
 * <p>A component is in one section: {@code @Bss} cannot be combined with {@link PerCpu} or
 * {@link Rodata}. Components without a section annotation are in {@code .data}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Bss {
}
