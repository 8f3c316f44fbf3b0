package dev.bpfglobals.maven;

import dev.bpfglobals.contract.ContractJson;
import dev.bpfglobals.contract.ContractReport;
import dev.bpfglobals.contract.GlobalsContract;
import dev.bpfglobals.contract.SectionContract;
import dev.bpfglobals.runtime.GlobalSection;
import dev.bpfglobals.runtime.GlobalVariable;
import dev.bpfglobals.runtime.ObjectSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Checks BPF objects against the contracts the processor wrote, with the runtime's own
 * {@link ObjectSpec#checkAgainst}, so the build judges drift exactly as the application will.
 *
 * <p>An object is checked against each contract it shares a global variable with (same section,
 * same name), not against every contract: a program built from one record's header has none of
 * another record's sections, and would otherwise "drift" from every record but its own. An object
 * built from a record's header always shares its variables; an object built before the record
 * changed shares at least the variables that kept their names.
 */
final class DriftCheck {

    private DriftCheck() {
    }

    /** A contract read from {@code file}. */
    record Contract(Path file, GlobalsContract contract) {

        /** The header the processor wrote beside it: the one to rebuild against. */
        Path header(Path headerDirectory) {
            return headerDirectory.resolve(contract.record() + ".h");
        }
    }

    /** One object that does not match one record's contract. */
    record Drift(Path object, Contract contract, ContractReport report) {
    }

    /** Every {@code *.json} contract in {@code directory}, by file name; none when it does not exist. */
    static List<Contract> readContracts(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        List<Contract> contracts = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList()) {
                try {
                    contracts.add(new Contract(file, ContractJson.parse(Files.readString(file))));
                } catch (IllegalArgumentException e) {
                    throw new IOException(file + ": " + e.getMessage(), e);
                }
            }
        }
        return contracts;
    }

    /** The contracts that describe globals of {@code object}: those sharing a variable with it in the same section. */
    static List<Contract> applicable(ObjectSpec object, List<Contract> contracts) {
        return contracts.stream().filter(c -> sharesAVariable(object, c.contract())).toList();
    }

    private static boolean sharesAVariable(ObjectSpec object, GlobalsContract contract) {
        for (SectionContract section : contract.sections()) {
            List<String> found = object.globalSection(section.name()).map(GlobalSection::variables).orElse(List.of())
                    .stream().map(GlobalVariable::name).toList();
            if (section.variables().stream().anyMatch(v -> found.contains(v.name()))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The build-failure message for {@code drift}: the record, the object, every difference with
     * "expected" meaning the Java record and "found" the object, the header to rebuild against and
     * the command that does it ({@code rebuild}, empty when the plugin did not build the object).
     */
    static String describe(Drift drift, Path headerDirectory, String rebuild) {
        String record = drift.contract().contract().record();
        StringBuilder message = new StringBuilder();
        message.append("bpf-globals: BPF object ").append(drift.object()).append(" does not match the Java record ")
                .append(record).append(" (expected: the record, as its contract ")
                .append(drift.contract().file().getFileName()).append(" says; found: the object):\n");
        drift.report().describe().lines().forEach(line -> message.append("  ").append(line).append('\n'));
        message.append("The object was built from an older version of the record, or its C source declares these globals"
                + " itself. Rebuild it against the record's header ").append(drift.contract().header(headerDirectory));
        if (rebuild.isEmpty()) {
            message.append(" (clang -O2 -g -target bpf -I/usr/include/$(uname -m)-linux-gnu -I")
                    .append(headerDirectory).append(" [-DBPF_GLOBALS_COMPAT] -c NAME.bpf.c -o ")
                    .append(drift.object()).append(").\nThis build did not make it: it was copied there (from")
                    .append(" src/main/resources?) or is left from a source since removed, which mvn clean deletes.");
        } else {
            message.append(":\n  ").append(rebuild);
        }
        return message.append('\n').toString();
    }
}
