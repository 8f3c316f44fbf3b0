package dev.bpfglobals.cli;

import picocli.CommandLine.Model.CommandSpec;

/**
 * A command object that takes its picocli model from {@link CommandModels} by a call rather than by
 * reflection into its {@code @Spec} field: setting a field reflectively makes the JDK spin method-handle
 * classes, which no AOT cache holds (3 of them, about 3 ms of a cold {@code inspect}). The
 * {@code @Spec} annotation stays for picocli's annotation path.
 */
interface SpecReceiver {

    /** Keeps {@code spec}, the model of this command object. */
    void receiveSpec(CommandSpec spec);
}
