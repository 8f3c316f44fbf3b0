package dev.bpfglobals.runtime.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test that talks to the real kernel's bpf(2). It runs where this process has CAP_BPF (or
 * CAP_SYS_ADMIN) and is skipped with the reason elsewhere, unless the system property
 * {@code bpfglobals.kernelTests=require} (set by CI) makes the missing capability a failure. Tagged
 * {@code kernel}, so {@code bin/test --kernel V} runs just these inside a VM booted with kernel V.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag("kernel")
@ExtendWith(BpfCondition.class)
public @interface RequiresBpf {
}
