package dev.bpfglobals.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes an integral component ({@code byte}, {@code short}, {@code int}, {@code long}, or an array of
 * them) unsigned in C: {@code __u8}, {@code __u16}, {@code __u32}, {@code __u64} instead of
 * {@code __s8} ... {@code __s64}.
 *
 * <p>Java keeps the bits in the signed type of the same width; read values with
 * {@link Long#toUnsignedString(long)}, {@link Integer#toUnsignedLong(int)} and friends.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD})
public @interface Unsigned {
}
