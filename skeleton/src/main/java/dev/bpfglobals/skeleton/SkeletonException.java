package dev.bpfglobals.skeleton;

/**
 * An object the skeleton generator refuses, with why in one line: the object is not a BPF object,
 * has no BTF, or uses a C construct Java code cannot mirror (naming the type and the member).
 */
public final class SkeletonException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * A refusal saying {@code message}.
     *
     * @param message what is wrong, in one line
     */
    public SkeletonException(String message) {
        super(message);
    }
}
