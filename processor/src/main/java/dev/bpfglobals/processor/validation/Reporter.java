package dev.bpfglobals.processor.validation;

import dev.bpfglobals.processor.Diagnostic;
import javax.annotation.processing.Messager;
import javax.lang.model.element.Element;

/** Reports diagnostics on the element at fault and remembers whether any was an error. */
public final class Reporter {

    private final Messager messager;
    private boolean errors;

    public Reporter(Messager messager) {
        this.messager = messager;
    }

    /** Reports {@code diagnostic} on {@code element}, the line a user must change. */
    public void report(Diagnostic diagnostic, Element element, Object... args) {
        messager.printMessage(diagnostic.kind(), diagnostic.format(args), element);
        if (diagnostic.kind() == javax.tools.Diagnostic.Kind.ERROR) {
            errors = true;
        }
    }

    /** Whether an error was reported since this reporter was made. */
    public boolean hadErrors() {
        return errors;
    }
}
