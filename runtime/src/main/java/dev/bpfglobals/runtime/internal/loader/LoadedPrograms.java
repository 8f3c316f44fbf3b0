package dev.bpfglobals.runtime.internal.loader;

import dev.bpfglobals.runtime.attach.Link;
import dev.bpfglobals.runtime.attach.SectionAttach;
import dev.bpfglobals.runtime.kernel.BpfFd;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The programs a load loaded, each with its section (which names where {@link #attach} attaches
 * it), and those it left out because their autoload is off, so that a request for one can say
 * why. Owns the programs' descriptors.
 */
public final class LoadedPrograms {

    private final Map<String, BpfFd> fds = new LinkedHashMap<>();
    private final Map<String, String> sections = new HashMap<>();
    private final Map<String, String> skipped = new HashMap<>();

    void loaded(ProgramImage program, BpfFd fd) {
        fds.put(program.name(), fd);
        sections.put(program.name(), program.section());
    }

    void skipped(ProgramImage program) {
        skipped.put(program.name(), program.section());
    }

    /**
     * The loaded program {@code name}, as a descriptor of its own (a {@code dup}) for the caller to close.
     *
     * @param name the program's C function name
     * @return a new descriptor of the program
     * @throws IllegalArgumentException for a program not loaded, saying why (autoload off, or no such program)
     */
    public BpfFd fd(String name) {
        BpfFd fd = fds.get(name);
        if (fd == null && skipped.containsKey(name)) {
            String section = skipped.get(name);
            String why = section.startsWith(ProgramImage.AUTOLOAD_OFF)
                    ? "section '" + section + "'; a leading '?' means do not load automatically"
                    : "turned off with ObjectSpec.withAutoload";
            throw new IllegalArgumentException("program '" + name + "' was not loaded: its autoload is off (" + why
                    + "); load it with ObjectSpec.withAutoload(\"" + name + "\", true)");
        }
        if (fd == null) {
            throw new IllegalArgumentException("no program named '" + name + "'; loaded: " + fds.keySet());
        }
        return fd.dup();
    }

    /**
     * Attaches program {@code name} where its section says.
     *
     * @param name the program's C function name
     * @return the attachment, which detaches when closed
     */
    public Link attach(String name) {
        try (BpfFd program = fd(name)) {
            return SectionAttach.attach(program, name, sections.get(name));
        }
    }

    /** Closes every program's descriptor; later calls do nothing. */
    void close() {
        List<BpfFd> programs = new ArrayList<>(fds.values());
        fds.clear();
        sections.clear();
        programs.forEach(BpfFd::close);
    }
}
