package dev.bpfglobals.processor.validation;

import dev.bpfglobals.processor.model.GlobalsRecord;
import java.util.Optional;

/**
 * What validating one record gave: its own report, and the model when that report has no error.
 *
 * @param report everything found about the record, to be printed whatever the outcome
 * @param model  the model to generate from; empty whenever the report has an error
 */
public record ValidatedRecord(ValidationReport report, Optional<GlobalsRecord> model) {

    /** Refuses a model next to errors: generating from it is the bug a per-record report prevents. */
    public ValidatedRecord {
        if (model.isPresent() && !report.isClean()) {
            throw new IllegalArgumentException("a record with errors has no model to generate from");
        }
    }
}
