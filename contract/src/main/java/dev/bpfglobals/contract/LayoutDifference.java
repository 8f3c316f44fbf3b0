package dev.bpfglobals.contract;

/**
 * One way in which an actual section layout (from a BPF object, or from a map's BTF) differs from
 * the layout a record's contract expects.
 *
 * @param variable the variable concerned, or {@code null} for a property of the whole section
 * @param property what differs: {@code offset}, {@code size}, {@code presence}, {@code valueSize}, ...
 * @param expected the contract's value, as text
 * @param actual   the value found, as text
 */
public record LayoutDifference(String variable, String property, String expected, String actual) {

    /** The {@link #property} of a variable (or section) that only one side has. */
    public static final String PRESENCE = "presence";
    /** The {@link #actual} of a variable (or section) the contract has and the checked side lacks. */
    public static final String MISSING = "missing";
    /** The {@link #expected} of a variable the checked side has and the contract lacks. */
    public static final String ABSENT = "absent";

    /**
     * One line a user can act on, "expected" being the record's contract and "found" what was
     * checked: {@code variable 'bytes': offset expected 8, found 16},
     * {@code variable 'drops': expected at offset 0, not found},
     * {@code variable 'debug': not expected, found at offset 24}, {@code value size expected 24 bytes, found 16 bytes},
     * {@code section expected, not found}.
     *
     * @return the difference as one line of an error message
     */
    public String describe() {
        if (variable == null) {
            return property.equals(PRESENCE) ? (MISSING.equals(actual) ? "section expected, not found" : "section not expected, found")
                    : property + " expected " + expected + ", found " + actual;
        }
        String subject = "variable '" + variable + "'";
        if (property.equals(PRESENCE)) {
            return MISSING.equals(actual) ? subject + ": expected " + expected + ", not found"
                    : subject + ": not expected, found " + actual;
        }
        return subject + ": " + property + " expected " + expected + ", found " + actual;
    }

    @Override
    public String toString() {
        return describe();
    }
}
