package dev.bpfglobals.contract;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

/**
 * Coverage-guided fuzzing of {@link ContractJson#parse} (docs/fuzzing.md): any text (the input's bytes
 * as UTF-8) ends in a contract that {@link ContractJson#write} writes back to the same contract, or in
 * the parser's one refusal, an {@code IllegalArgumentException} starting {@code contract JSON: }.
 * Anything else escapes to Jazzer as a finding, and so does parsing that allocates more than
 * {@link #ALLOCATION_BASE} plus {@link #ALLOCATION_PER_BYTE} per input byte. Without
 * {@code JAZZER_FUZZ} it replays {@code ContractJsonFuzzTestInputs/parse/} in the test resources.
 */
class ContractJsonFuzzTest {

    /** Room for the JDK's own buffers and the first few lists, whatever the input. */
    private static final long ALLOCATION_BASE = 1024 * 1024;
    /** A parsed contract is maps, lists and strings some tens of times the text; a believed count is far more. */
    private static final long ALLOCATION_PER_BYTE = 256;
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @FuzzTest
    void parse(byte[] input) {
        String json = new String(input, StandardCharsets.UTF_8);
        long bound = ALLOCATION_BASE + ALLOCATION_PER_BYTE * input.length;
        long before = THREADS.getCurrentThreadAllocatedBytes();
        parseOrRefuse(json);
        if (THREADS.getCurrentThreadAllocatedBytes() - before > bound) {
            // The first input to reach a class pays for loading (and, when fuzzing, instrumenting) it: measure again.
            before = THREADS.getCurrentThreadAllocatedBytes();
            parseOrRefuse(json);
            long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
            if (allocated > bound) {
                throw new AssertionError("parsing " + input.length + " bytes allocated " + allocated + ", over the bound of " + bound);
            }
        }
    }

    private static void parseOrRefuse(String json) {
        try {
            GlobalsContract contract = ContractJson.parse(json);
            GlobalsContract again = ContractJson.parse(ContractJson.write(contract));
            if (!again.equals(contract)) {
                throw new AssertionError("written and read back, " + contract + " became " + again);
            }
        } catch (IllegalArgumentException e) {
            if (e.getClass() != IllegalArgumentException.class || e.getMessage() == null || !e.getMessage().startsWith("contract JSON: ")) {
                throw e;
            }
        }
    }
}
