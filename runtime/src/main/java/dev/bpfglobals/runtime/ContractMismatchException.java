package dev.bpfglobals.runtime;

import dev.bpfglobals.contract.ContractReport;
import dev.bpfglobals.contract.LayoutDifference;
import java.util.List;
import java.util.stream.Collectors;

/** A map or object does not have the layout a record's contract expects; nothing was written. */
public final class ContractMismatchException extends RuntimeException {

    /** Every difference found, as {@link #differences()} gives them. */
    private final List<LayoutDifference> differences;

    /**
     * A mismatch of {@code what} with {@code record}, listing every difference.
     *
     * @param what the map or section compared, as the message names it, e.g. {@code "map 'counters' (id 12)"}
     * @param record the binary name of the record whose contract was expected
     * @param differences every difference found, none left out
     */
    public ContractMismatchException(String what, String record, List<LayoutDifference> differences) {
        super(what + " does not match the Java record " + record + " (expected: the record; found: what " + what + " holds):\n  "
                + differences.stream().map(LayoutDifference::describe).collect(Collectors.joining("\n  "))
                + "\n" + ContractReport.rebuildAdvice(record, "the BPF object that made it"));
        this.differences = List.copyOf(differences);
    }

    /** {@return every difference found} */
    public List<LayoutDifference> differences() {
        return differences;
    }
}
