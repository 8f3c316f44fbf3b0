package dev.bpfglobals.runtime.testing;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Enables {@link RequiresBpf} tests by this process's effective capabilities. */
public final class BpfCondition implements ExecutionCondition {

    private static final int CAP_SYS_ADMIN = 21;
    private static final int CAP_BPF = 39;

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        String missing = missingCapability();
        if (missing == null) {
            return ConditionEvaluationResult.enabled("CAP_BPF is available");
        }
        if ("require".equals(System.getProperty("bpfglobals.kernelTests"))) {
            throw new IllegalStateException("kernel tests are required (-Dbpfglobals.kernelTests=require) but " + missing);
        }
        return ConditionEvaluationResult.disabled("kernel test skipped: " + missing
                + " (run as root, or set -Dbpfglobals.kernelTests=require to make this a failure)");
    }

    /** Why this process cannot use bpf(2), or null if it can. */
    static String missingCapability() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    BigInteger caps = new BigInteger(line.substring(7).strip(), 16);
                    return caps.testBit(CAP_BPF) || caps.testBit(CAP_SYS_ADMIN)
                            ? null : "this process lacks CAP_BPF (CapEff " + line.substring(7).strip() + ")";
                }
            }
            return "no CapEff line in /proc/self/status";
        } catch (IOException e) {
            return "cannot read /proc/self/status: " + e.getMessage();
        }
    }
}
