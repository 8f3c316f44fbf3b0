package dev.bpfglobals.runtime.attach;

import dev.bpfglobals.runtime.kernel.BpfFd;

/**
 * Attaches a program where its section name says, as libbpf's {@code bpf_program__attach} does for
 * sections that carry their target: the row of {@link SectionDefinitions} for the section gives
 * the {@link AutoAttach} kind. Sections that name no target (a cgroup, an interface, a socket) are
 * refused, naming the {@code BpfProgram} method that takes one.
 */
public final class SectionAttach {

    private SectionAttach() {
    }

    /**
     * Attaches {@code program}, the program named {@code name} in the object, from its section {@code section}.
     *
     * @param program the program's descriptor, which stays the caller's
     * @param name the program's C function name, for messages
     * @param section the program's ELF section name, e.g. {@code kprobe/do_sys_open}
     * @return the attachment, which detaches when closed
     * @throws IllegalArgumentException for a section that names no target, naming the method to use instead
     */
    public static Link attach(BpfFd program, String name, String section) {
        String bare = SectionDefinitions.withoutAutoloadMark(section);
        int slash = bare.indexOf('/');
        String kind = slash < 0 ? bare : bare.substring(0, slash);
        String target = slash < 0 ? "" : bare.substring(slash + 1);
        var row = SectionDefinitions.find(section);
        AutoAttach auto = row.map(SectionDefinition::autoAttach).orElse(AutoAttach.MANUAL);
        var way = row.map(SectionDefinition::manualAttach).filter(w -> !w.isEmpty());
        if (target.isEmpty() && auto.needsTarget()) {
            throw new IllegalArgumentException("program '" + name + "' in section '" + section + "' names no " + kind
                    + " target; attach it with the BpfProgram method that takes one (" + way.orElse("see BpfProgram") + ")");
        }
        if (auto == AutoAttach.MANUAL) {
            throw new IllegalArgumentException("program '" + name + "' in section '" + section
                    + "' cannot be attached from its section name alone; use the BpfProgram method for its target ("
                    + way.orElse("this loader has no attach for it yet") + ")");
        }
        return auto.attach(program, new AutoAttach.Section(name, section, target));
    }
}
