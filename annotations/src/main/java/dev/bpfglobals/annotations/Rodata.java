package dev.bpfglobals.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a record component to be a read-only BPF global variable, a constant the program is
 * configured with: one variable in the object's {@code .rodata} ELF section, which libbpf (and the
 * bpf-globals loader) turn into a one-entry {@code BPF_MAP_TYPE_ARRAY} map named {@code .rodata},
 * created read-only for programs ({@code BPF_F_RDONLY_PROG}) and frozen after load, so the
 * verifier can treat its values as known constants and prune the branches they rule out.
 *
 * <p>The generated header defines it as {@code const volatile __u32 mtu SEC(".rodata") = 0;}, the
 * {@code const volatile} of libbpf's configuration globals: {@code const} puts it in {@code .rodata},
 * {@code volatile} keeps clang from folding the 0 into the program. Java sets the value <em>before
 * load</em>, with {@code ObjectSpec.withGlobalImage(".rodata", <Record>Globals.rodataImage(part))};
 * after load, the generated {@code bindRodata} view has getters only, and the runtime refuses any
 * write to the frozen section with a message saying so.
 *
 * <p>A component is in one section: {@code @Rodata} cannot be combined with {@link PerCpu} or
 * {@link Bss}. Components without a section annotation are in {@code .data}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Rodata {
}
