package dev.bpfglobals.processor.validation;

import java.util.ArrayList;
import java.util.List;
import javax.annotation.processing.Messager;
import javax.lang.model.element.Element;
import javax.tools.Diagnostic.Kind;

/**
 * Everything found wrong (or worth a warning) about one subject, usually one record. Each record
 * gets its own report, so whether it may be generated depends on its own errors alone, never on
 * what an earlier record in the same round did (dagger's {@code ValidationReport.about(element)}).
 *
 * @param subject the element the report is about
 * @param items   the diagnostics in the order found, each on the element a user has to change
 */
public record ValidationReport(Element subject, List<Item> items) {

    /**
     * One diagnostic with its arguments, attached to {@code element}.
     *
     * @param diagnostic what is wrong
     * @param element    where javac shows it: the element a user has to change
     * @param args       the values of the diagnostic's message pattern
     */
    public record Item(Diagnostic diagnostic, Element element, List<Object> args) {
        /** {@return the message as the user sees it, tag first} */
        public String message() {
            return diagnostic.format(args.toArray());
        }
    }

    /** Copies the items, so the report cannot change under its holder. */
    public ValidationReport {
        items = List.copyOf(items);
    }

    /**
     * Starts a report about one subject, which the validators then add to.
     *
     * @param subject the element the report is about, usually a record
     * @return an empty builder
     */
    public static Builder about(Element subject) {
        return new Builder(subject);
    }

    /** {@return whether nothing in the report is an error: only then may outputs be generated from it} */
    public boolean isClean() {
        return items.stream().noneMatch(item -> item.diagnostic().kind() == Kind.ERROR);
    }

    /**
     * Prints every item on its element, so javac shows each at the line to change.
     *
     * @param messager the processing environment's messager
     */
    public void printMessagesTo(Messager messager) {
        items.forEach(item -> messager.printMessage(item.diagnostic().kind(), item.message(), item.element()));
    }

    /** Collects the items of one report. */
    public static final class Builder {
        private final Element subject;
        private final List<Item> items = new ArrayList<>();

        private Builder(Element subject) {
            this.subject = subject;
        }

        /**
         * Adds {@code diagnostic} on {@code element}, the line a user must change.
         *
         * @param diagnostic what is wrong
         * @param element    where javac shows it
         * @param args       the values of the diagnostic's message pattern; may contain {@code null}
         * @return this builder
         */
        public Builder report(Diagnostic diagnostic, Element element, Object... args) {
            // Arguments may be null (javac hands out null for some names); List.of would refuse them.
            items.add(new Item(diagnostic, element, java.util.Collections.unmodifiableList(java.util.Arrays.asList(args.clone()))));
            return this;
        }

        /** Whether an error was added so far. */
        boolean hasErrors() {
            return items.stream().anyMatch(item -> item.diagnostic().kind() == Kind.ERROR);
        }

        /** {@return the report of everything added} */
        public ValidationReport build() {
            return new ValidationReport(subject, items);
        }
    }
}
