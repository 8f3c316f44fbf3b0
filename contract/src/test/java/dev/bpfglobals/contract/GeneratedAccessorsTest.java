package dev.bpfglobals.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.annotations.BpfGlobals;
import dev.bpfglobals.annotations.PerCpu;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Finding a record's generated accessor at run time. The contract's tests compile without the
 * processor, so these records stand for a user's build in which the processor did not run.
 */
class GeneratedAccessorsTest {

    /** Annotated like a user's record; no accessor exists for it. */
    record Unprocessed(@PerCpu long packets, @PerCpu long bytes) {
    }

    @BpfGlobals
    record UnprocessedData(int limit) {
    }

    record Plain(long packets) {
    }

    /** A record with an accessor written here in the generated shape. */
    record Processed(@PerCpu long packets) {
    }

    @Test
    void theAccessorOfANestedRecordJoinsItsNamesWithUnderscores() {
        assertThat(GeneratedAccessors.accessorName(Processed.class))
                .isEqualTo("dev.bpfglobals.contract.GeneratedAccessorsTest_ProcessedGlobals");
    }

    @Test
    void theContractIsTheAccessorsConstant() {
        assertThat(GeneratedAccessors.contractOf(Processed.class)).isSameAs(GeneratedAccessorsTest_ProcessedGlobals.CONTRACT);
    }

    @Test
    void anAnnotatedRecordWithoutAccessorSaysTheProcessorDidNotRunAndHowToEnableIt() {
        assertThatThrownBy(() -> GeneratedAccessors.contractOf(Unprocessed.class))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("GeneratedAccessorsTest$Unprocessed is annotated for bpf-globals (@PerCpu on component 'packets')")
                .hasMessageContaining("its accessor dev.bpfglobals.contract.GeneratedAccessorsTest_UnprocessedGlobals was not generated")
                .hasMessageContaining("the bpf-globals processor did not run")
                .hasMessageContaining("<annotationProcessorPaths>")
                .hasMessageContaining("-proc:full");
    }

    @Test
    void aBpfGlobalsRecordWithoutAccessorIsNamedByItsClassAnnotation() {
        assertThatThrownBy(() -> GeneratedAccessors.contractOf(UnprocessedData.class))
                .hasMessageContaining("is annotated for bpf-globals (@BpfGlobals)");
    }

    @Test
    void aRecordWithoutAnnotationsIsToldThatNothingIsGeneratedForIt() {
        assertThatThrownBy(() -> GeneratedAccessors.contractOf(Plain.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has no @PerCpu component and no @BpfGlobals");
    }

    @Test
    void aClassThatIsNotARecordIsRefused() {
        assertThatThrownBy(() -> GeneratedAccessors.contractOf(String.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("java.lang.String is not a record; bpf-globals globals are declared as records");
    }
}

/** Stands for the processor's output for {@link GeneratedAccessorsTest.Processed}. */
final class GeneratedAccessorsTest_ProcessedGlobals {
    public static final GlobalsContract CONTRACT = new GlobalsContract(GeneratedAccessorsTest.Processed.class.getName(),
            List.of(new SectionContract(".percpu", MapType.PERCPU_ARRAY, 4, 8, 1, 8,
                    List.of(new VariableContract("packets", "__s64", 0, 8, 8)))));

    private GeneratedAccessorsTest_ProcessedGlobals() {
    }
}
