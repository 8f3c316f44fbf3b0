package dev.bpfglobals.runtime.internal.kernelenv;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The kernel's lockdown mode, as {@code /sys/kernel/security/lockdown} states it. An explanation of
 * an {@code EPERM} names lockdown only where this file says it is active: where securityfs is not
 * mounted, or the mode is {@code none}, lockdown is not the cause a user should be sent after.
 */
public final class Lockdown {

    /** Where securityfs shows the lockdown LSM's modes, the active one in brackets. */
    public static final Path FILE = Path.of("/sys/kernel/security/lockdown");

    private Lockdown() {
    }

    /**
     * The active mode ({@code none}, {@code integrity}, {@code confidentiality}), or the empty string
     * where the file cannot be read (securityfs not mounted, or no lockdown LSM).
     */
    public static String mode() {
        try {
            String modes = Files.readString(FILE);
            int open = modes.indexOf('[');
            int close = modes.indexOf(']', open + 1);
            return open < 0 || close < 0 ? "" : modes.substring(open + 1, close);
        } catch (IOException e) {
            return "";
        }
    }

    /** Whether the file states a mode other than {@code none}. */
    public static boolean active() {
        String mode = mode();
        return !mode.isEmpty() && !mode.equals("none");
    }

    /**
     * {@code ", or kernel lockdown ('confidentiality', FILE) forbids WHAT"} where the file says the
     * confidentiality mode is active (the one that refuses kprobes and perf's kernel reads), else
     * the empty string.
     */
    public static String confidentialityCause(String what) {
        return mode().equals("confidentiality") ? ", or kernel lockdown ('confidentiality', " + FILE + ") forbids " + what : "";
    }
}
