package dev.bpfglobals.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The kernel's CPU-list format, and slot numbering when the list has holes. */
@Tag("kernel") // reads the kernel's possible-CPU list, which differs from one kernel and VM to the next
class PossibleCpusTest {

    @Test
    void parsesRangesAndSingleCpus() {
        PossibleCpus cpus = PossibleCpus.parse("0-3,5,7-8\n");

        assertThat(cpus.ids()).containsExactly(0, 1, 2, 3, 5, 7, 8);
        assertThat(cpus.count()).isEqualTo(7);
        assertThat(cpus).hasToString("0-3,5,7-8");
    }

    @Test
    void slotsSkipCpusThatAreNotPossible() {
        PossibleCpus cpus = PossibleCpus.parse("0-1,4");

        assertThat(cpus.slotOf(4)).isEqualTo(2);
        assertThat(cpus.cpuAt(2)).isEqualTo(4);
        assertThat(cpus.contains(3)).isFalse();
        assertThatThrownBy(() -> cpus.slotOf(3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("CPU 3 is not a possible CPU (possible: 0-1,4)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "a", "1-", "-1", "3-1", "0,0", "2,1", "0-9999", "0,,1"})
    void rejectsMalformedListsNamingThem(String list) {
        assertThatThrownBy(() -> PossibleCpus.parse(list)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("possible-CPU list");
    }

    @Test
    void systemMaskMatchesSysfs() throws Exception {
        String sysfs = java.nio.file.Files.readString(PossibleCpus.SYSFS_PATH).strip();

        assertThat(PossibleCpus.system()).hasToString(sysfs);
    }
}
