package dev.bpfglobals.runtime.internal.light;

import java.util.List;

/** Picks the line of a verifier log that says why, so that a refusal stays one line. */
final class VerifierLog {

    /**
     * Where 7.3's verifier starts its explained diagnostics (category, reason, source context,
     * suggestion), after the classic one-line error; older kernels end with that line.
     */
    private static final String DIAGNOSTICS = "Verification failed:";

    private VerifierLog() {
    }

    /** {@return the verifier's one-line error in {@code log}: its last line before any diagnostics and statistics} */
    static String lastError(String log) {
        int diagnostics = log.indexOf(DIAGNOSTICS);
        String classic = diagnostics < 0 ? log : log.substring(0, diagnostics);
        List<String> lines = classic.lines().map(String::strip).filter(l -> !l.isEmpty())
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
