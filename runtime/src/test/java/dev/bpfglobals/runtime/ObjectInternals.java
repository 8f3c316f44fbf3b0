package dev.bpfglobals.runtime;

import dev.bpfglobals.runtime.btf.Btf;

/** What the loader sees of an object and users do not, for tests of other runtime packages. */
public final class ObjectInternals {

    private ObjectInternals() {
    }

    /** The object's fixed-up BTF ({@link ObjectSpec#btf()}), which the BTF tests take as a real clang output. */
    public static Btf btf(ObjectSpec object) {
        return object.btf().orElseThrow();
    }
}
