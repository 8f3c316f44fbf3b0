package dev.bpfglobals.runtime.contract;

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

    /** One line a user can act on, e.g. {@code variable 'bytes': offset expected 8, found 16}. */
    public String describe() {
        String subject = variable == null ? "section" : "variable '" + variable + "'";
        return subject + ": " + property + " expected " + expected + ", found " + actual;
    }

    @Override
    public String toString() {
        return describe();
    }
}
