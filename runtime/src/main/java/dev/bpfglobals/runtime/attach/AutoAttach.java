package dev.bpfglobals.runtime.attach;

import dev.bpfglobals.runtime.internal.Bpf;
import dev.bpfglobals.runtime.kernel.BpfFd;

/**
 * How a program attaches from its section name alone, as libbpf's {@code SEC_DEF} attach
 * functions do ({@code bpf_program__attach}); {@link #MANUAL} where the section does not name the
 * target (a cgroup, an interface, a socket) and a {@code BpfProgram} method takes it.
 */
public enum AutoAttach {
    /** {@code kprobe/FUNC}. */
    KPROBE(true, (program, s) -> KprobeAttach.attach(program, s.target(), false)),
    /** {@code kretprobe/FUNC}. */
    KRETPROBE(true, (program, s) -> KprobeAttach.attach(program, s.target(), true)),
    /** {@code ksyscall/NAME}: a kprobe on the architecture's handler of system call NAME. */
    KSYSCALL(true, (program, s) -> KprobeAttach.attach(program, KprobeAttach.syscallHandler(s.target()), false)),
    /** {@code kretsyscall/NAME}. */
    KRETSYSCALL(true, (program, s) -> KprobeAttach.attach(program, KprobeAttach.syscallHandler(s.target()), true)),
    /** {@code kprobe.multi/PATTERN}: one kprobe_multi link on every function the glob matches. */
    KPROBE_MULTI(true, (program, s) -> KprobeMultiAttach.matching(program, s.target(), false)),
    /** {@code kretprobe.multi/PATTERN}. */
    KRETPROBE_MULTI(true, (program, s) -> KprobeMultiAttach.matching(program, s.target(), true)),
    /** {@code uprobe/BINARY:FUNCTION[+OFFSET]} ({@link UprobeSection}). */
    UPROBE(true, (program, s) -> UprobeAttach.section(program, UprobeSection.parse(s.program(), s.section(), s.target()), false)),
    /** {@code uretprobe/BINARY:FUNCTION[+OFFSET]}. */
    URETPROBE(true, (program, s) -> UprobeAttach.section(program, UprobeSection.parse(s.program(), s.section(), s.target()), true)),
    /** {@code usdt/PATH:PROVIDER:NAME}, in every process ({@link UsdtAttach}). */
    USDT(true, UsdtAttach::section),
    /** {@code uprobe.multi/BINARY:PATTERN}: one uprobe_multi link on every function of BINARY the glob matches. */
    UPROBE_MULTI(true, (program, s) -> UprobeMultiAttach.section(program, s, false)),
    /** {@code uretprobe.multi/BINARY:PATTERN}. */
    URETPROBE_MULTI(true, (program, s) -> UprobeMultiAttach.section(program, s, true)),
    /** {@code tracepoint/CATEGORY/NAME}, {@code tp/CATEGORY/NAME}. */
    TRACEPOINT(true, AutoAttach::tracepoint),
    /** {@code raw_tp/NAME}, {@code raw_tracepoint/NAME}. */
    RAW_TRACEPOINT(true, (program, s) -> TracepointAttach.raw(program, s.target())),
    /** TRACING sections ({@code tp_btf/}, {@code fentry/}, {@code fexit/}, {@code fmod_ret/}), whose target was fixed at load. */
    TRACING(false, (program, s) -> TracingAttach.attach(program, Bpf.progInfo(program).name())),
    /** {@code lsm/HOOK}, {@code lsm.s/HOOK}, whose hook was fixed at load. */
    LSM(false, (program, s) -> LsmAttach.attach(program, s.program())),
    /** {@code iter/TARGET}: an iterator link over the whole target, to read with {@link IterAttach#open}. */
    ITER(false, IterAttach::section),
    /** Not from the section: the target comes from the caller. */
    MANUAL(false, null);

    /** A section split into what names the program kind and what names its target. */
    record Section(String program, String section, String target) {
    }

    private interface Attacher {
        Link attach(BpfFd program, Section section);
    }

    private final boolean needsTarget;
    private final Attacher attacher;

    AutoAttach(boolean needsTarget, Attacher attacher) {
        this.needsTarget = needsTarget;
        this.attacher = attacher;
    }

    /** {@return whether the section must name a target after its kind ({@code kprobe/} alone names none)} */
    public boolean needsTarget() {
        return needsTarget;
    }

    Link attach(BpfFd program, Section section) {
        return attacher.attach(program, section);
    }

    private static Link tracepoint(BpfFd program, Section s) {
        int split = s.target().indexOf('/');
        if (split <= 0 || split == s.target().length() - 1) {
            throw new IllegalArgumentException("program '" + s.program() + "' in section '" + s.section()
                    + "': a tracepoint section names CATEGORY/NAME, e.g. tp/syscalls/sys_enter_getpid");
        }
        return TracepointAttach.attach(program, s.target().substring(0, split), s.target().substring(split + 1));
    }
}
