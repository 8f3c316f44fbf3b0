package dev.bpfglobals.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The page size comes from {@code /proc/self/auxv} (no downcall of its own on a cold load) and, where
 * that file cannot be read, from libc's {@code sysconf}: the two must agree.
 */
class RingSyscallsTest {

    @Test
    void thePageSizeFromTheAuxiliaryVectorIsLibcs() {
        assertThat(RingSyscalls.pageSize()).isEqualTo(RingSyscalls.sysconfPageSize()).isPositive();
    }
}
