package dev.bpfglobals.maven;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bpfglobals.contract.ContractReport;
import dev.bpfglobals.contract.GlobalsContract;
import dev.bpfglobals.contract.LayoutDifference;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The drift message: what differs, which side is which, and what to run. */
class DriftCheckTest {

    private final DriftCheck.Drift drift = new DriftCheck.Drift(Path.of("target/classes/bpf/flow.bpf.o"),
            new DriftCheck.Contract(Path.of("target/classes/META-INF/bpf-globals/demo.FlowStats.json"),
                    new GlobalsContract("demo.FlowStats", List.of())),
            new ContractReport("demo.FlowStats", List.of(new ContractReport.SectionReport(".percpu", true,
                    List.of(new LayoutDifference("packets", "offset", "8", "0"))))));

    @Test
    void theMessageNamesRecordObjectEachDifferenceAndWhichSideIsWhich() {
        String message = DriftCheck.describe(drift, Path.of("target/classes/META-INF/bpf-globals"), "");

        assertThat(message).startsWith("bpf-globals: BPF object target/classes/bpf/flow.bpf.o does not match the Java record"
                + " demo.FlowStats (expected: the record, as its contract demo.FlowStats.json says; found: the object):\n"
                + "  .percpu: variable 'packets': offset expected 8, found 0\n");
    }

    @Test
    void theMessageNamesTheHeaderToRebuildAgainstAndTheCommandThePluginRan() {
        String message = DriftCheck.describe(drift, Path.of("target/classes/META-INF/bpf-globals"),
                "clang -O2 -g -target bpf -c src/main/bpf/flow.bpf.c -o target/classes/bpf/flow.bpf.o");

        assertThat(message).contains("Rebuild it against the record's header target/classes/META-INF/bpf-globals/demo.FlowStats.h:\n"
                + "  clang -O2 -g -target bpf -c src/main/bpf/flow.bpf.c -o target/classes/bpf/flow.bpf.o\n");
    }

    @Test
    void withoutAPluginBuildTheMessageShowsTheClangLineToUse() {
        String message = DriftCheck.describe(drift, Path.of("gen"), "");

        assertThat(message).contains("(clang -O2 -g -target bpf -I/usr/include/$(uname -m)-linux-gnu -Igen"
                + " [-DBPF_GLOBALS_COMPAT] -c NAME.bpf.c -o target/classes/bpf/flow.bpf.o).\n")
                .contains("This build did not make it: it was copied there (from src/main/resources?) or is left from a"
                        + " source since removed, which mvn clean deletes.");
    }
}
