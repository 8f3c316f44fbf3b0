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
    /** This loader reads the section's programs but cannot load them yet. */
    NOT_LOADABLE,
    /**
     * The programs load sleepable ({@code BPF_F_SLEEPABLE}), so they may call helpers that fault in
     * user memory ({@code lsm.s/}, {@code uprobe.multi.s/}; libbpf's {@code SEC_SLEEPABLE}).
     */
    SLEEPABLE
}
