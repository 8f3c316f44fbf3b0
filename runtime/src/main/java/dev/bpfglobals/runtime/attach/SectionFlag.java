package dev.bpfglobals.runtime.attach;

/**
 * What a row of {@link SectionDefinitions} says about its programs beyond type and attach type, as
 * libbpf's {@code SEC_*} flags do. (libbpf's leading {@code ?}, "do not load automatically", belongs
 * to one section, not to a row: every row takes it.)
 */
public enum SectionFlag {
    /**
     * The section names a kernel BTF target ({@code fentry/FUNC}, {@code tp_btf/NAME}) that the
     * kernel verifies the program against at load (libbpf's {@code SEC_ATTACH_BTF}).
     */
    ATTACH_BTF,
    /** This loader reads the section's programs but cannot load them yet (libbpf's {@code iter/}). */
    NOT_LOADABLE
}
