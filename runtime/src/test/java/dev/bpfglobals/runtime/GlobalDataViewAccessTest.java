package dev.bpfglobals.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.contract.MapType;
import dev.bpfglobals.contract.SectionContract;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/** What a view refuses before it touches memory; over plain memory, no kernel needed. */
class GlobalDataViewAccessTest {

    private static GlobalDataView<DataLimits> view() {
        return GlobalDataView.bind(".data", MemorySegment.ofArray(new long[3]).asSlice(0, 20), DataLimits.SECTION, DataLimits.CODEC);
    }

    @Test
    void anAccessOfTheWrongWidthIsRefusedNamingTheVariable() {
        GlobalDataView<DataLimits> view = view();

        assertThatThrownBy(() -> view.getInt(view.variable("limit"), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("variable 'limit' of .data holds 8-byte elements (8 bytes at offset 8), not 4-byte ones");
        assertThatThrownBy(() -> view.getLong(view.variable("limit"), 1)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void aVariableOfAnotherViewIsRefused() {
        GlobalDataView.Variable foreign = view().variable("limit");

        assertThatThrownBy(() -> view().setLong(foreign, 0, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("variable 'limit' of .data (8 bytes at offset 8) belongs to another view");
    }

    @Test
    void anUnknownVariableIsRefusedListingTheKnownOnes() {
        assertThatThrownBy(() -> view().variable("limits"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("section '.data' of " + DataLimits.class.getName() + " has no variable 'limits'; it has [before, limit, after]");
    }

    @Test
    void aMappedSegmentOfAnotherSizeIsRefused() {
        assertThatThrownBy(() -> GlobalDataView.bind(".data", MemorySegment.ofArray(new long[3]), DataLimits.SECTION, DataLimits.CODEC))
                .isInstanceOf(ContractMismatchException.class)
                .hasMessageContaining("mapped size expected 20 bytes, found 24 bytes");
    }

    @Test
    void aPerCpuCodecIsRefusedPointingToPerCpuGlobals() {
        SectionContract perCpu = new SectionContract(".percpu", MapType.PERCPU_ARRAY, 4, 20, 1, 8, DataLimits.SECTION.variables());
        assertThatThrownBy(() -> GlobalDataView.bind(".data", MemorySegment.ofArray(new long[3]), perCpu, DataLimits.codec(perCpu)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bind it with PerCpuGlobals.bind");
    }

    @Test
    void aSegmentIsExposedReadOnlySoThatWritesGoThroughTheSetters() {
        GlobalDataView<DataLimits> view = view();
        view.setLong(view.variable("limit"), 0, 5);

        assertThat(view.segment().isReadOnly()).isTrue();
        assertThat(view.read()).isEqualTo(new DataLimits(0, 5, 0));
    }
}
