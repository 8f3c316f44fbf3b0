package dev.bpfglobals.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bpfglobals.runtime.kernel.BpfCommand;
import dev.bpfglobals.runtime.kernel.BpfException;
import dev.bpfglobals.runtime.kernel.Errno;
import org.junit.jupiter.api.Test;

/**
 * The hints name what the kernel really means by an errno: a map fd without the access asked for
 * is EPERM (kernel/bpf/syscall.c, map_get_sys_perms), never EACCES.
 */
class BpfExceptionTest {

    @Test
    void epermOnAnUpdateNamesTheReadOnlyFdOrTheFreeze() {
        assertThat(new BpfException(BpfCommand.BPF_MAP_UPDATE_ELEM, Errno.EPERM, "map 'x'").getMessage())
                .isEqualTo("BPF_MAP_UPDATE_ELEM failed with EPERM (map 'x'): this fd may not write the map: it was opened"
                        + " read-only (BPF_F_RDONLY), or the map is frozen (BPF_MAP_FREEZE, as libbpf does to .rodata)");
    }

    @Test
    void epermOnALookupNamesTheWriteOnlyFd() {
        assertThat(new BpfException(BpfCommand.BPF_MAP_LOOKUP_ELEM, Errno.EPERM, "map 'x'").getMessage())
                .endsWith(": this fd may not read the map: it was opened write-only (BPF_F_WRONLY)");
    }

    @Test
    void epermElsewhereIsAMissingCapability() {
        assertThat(new BpfException(BpfCommand.BPF_MAP_CREATE, Errno.EPERM, "").getMessage())
                .contains("lacks CAP_BPF");
    }

    @Test
    void eaccesNoLongerClaimsAReadOnlyMap() {
        assertThat(new BpfException(BpfCommand.BPF_MAP_UPDATE_ELEM, Errno.EACCES, "map 'x'").getMessage())
                .doesNotContain("read-only").contains("permission denied");
    }
}
