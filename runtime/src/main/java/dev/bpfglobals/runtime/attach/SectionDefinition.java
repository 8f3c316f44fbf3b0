package dev.bpfglobals.runtime.attach;

import java.util.Set;

/**
 * One row of {@link SectionDefinitions}: the sections it stands for, what their programs are
 * loaded as, and how they attach.
 *
 * @param prefix             without a {@code /}, a section kind: the section itself ({@code xdp}) or
 *                           any section starting with it and a {@code /} ({@code kprobe/do_unlinkat});
 *                           with one, that exact section ({@code cgroup/sock_create})
 * @param type               the program type its programs load as
 * @param expectedAttachType {@code enum bpf_attach_type} they load with ({@code expected_attach_type}), 0 for none
 * @param flags              what else the row says
 * @param autoAttach         how {@code LoadedObject.attach} attaches them from the section alone
 * @param manualAttach       the {@code BpfProgram} method that attaches them to a target the section
 *                           does not name, for messages; empty where there is none
 */
public record SectionDefinition(String prefix, ProgramType type, int expectedAttachType, Set<SectionFlag> flags,
        AutoAttach autoAttach, String manualAttach) {

    /** Copies the flags, so that the row cannot change. */
    public SectionDefinition {
        flags = Set.copyOf(flags);
    }

    /** Whether this row stands for {@code section} (no leading {@code ?}), whose part before the first {@code /} is {@code kind}. */
    boolean matches(String section, String kind) {
        return prefix.indexOf('/') < 0 ? prefix.equals(kind) : prefix.equals(section);
    }

    /**
     * Whether the row has {@code flag}.
     *
     * @param flag a flag a row may have
     * @return whether this row has it
     */
    public boolean has(SectionFlag flag) {
        return flags.contains(flag);
    }
}
