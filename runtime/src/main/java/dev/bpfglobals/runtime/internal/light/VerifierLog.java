package dev.bpfglobals.runtime.internal.light;

import java.util.List;

/** Picks the line of a verifier log that says why, so that a refusal stays one line. */
final class VerifierLog {

    private VerifierLog() {
    }

    /** {@return the last line of {@code log} that is not the verifier's statistics, or a placeholder} */
    static String lastError(String log) {
        List<String> lines = log.lines().map(String::strip).filter(l -> !l.isEmpty())
                .filter(l -> !l.startsWith("processed ") && !l.startsWith("verification time")
                        && !l.startsWith("stack depth") && !l.equals("(no verifier log)"))
                .toList();
        return lines.isEmpty() ? "(no verifier log)" : lines.getLast();
    }

    /** {@return whether {@code log} mentions {@code word} on any line} */
    static boolean mentions(String log, String word) {
        return log.contains(word);
    }
}
