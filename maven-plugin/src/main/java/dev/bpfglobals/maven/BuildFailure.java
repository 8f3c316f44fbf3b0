package dev.bpfglobals.maven;

/**
 * A problem that stops the build, with a message the user can act on (what to install, set or
 * rebuild); the goal turns it into a {@code MojoFailureException}, which Maven prints without a
 * stack trace.
 */
final class BuildFailure extends Exception {

    BuildFailure(String message) {
        super(message);
    }
}
