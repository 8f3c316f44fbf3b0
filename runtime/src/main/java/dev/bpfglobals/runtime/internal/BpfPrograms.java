package dev.bpfglobals.runtime.internal;

import dev.bpfglobals.runtime.kernel.BpfCommand;
import dev.bpfglobals.runtime.kernel.BpfException;
import dev.bpfglobals.runtime.kernel.BpfFd;
import dev.bpfglobals.runtime.kernel.Errno;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * BPF_PROG_LOAD, as the loader asks it (refusals thrown with the verifier's log) and as a feature
 * probe asks it (refusals answered). Offsets follow {@code union bpf_attr}; the plumbing is {@link Bpf}'s.
 */
public final class BpfPrograms {

    private BpfPrograms() {
    }

    /** BPF_PROG_LOAD of a program without BTF: the program's fd. */
    public static BpfFd load(int type, long[] instructions, String license, String name) {
        return load(new ProgramLoad(type, instructions, license, name, null, new int[0], new int[0]));
    }

    /** What one BPF_PROG_LOAD with the verifier log on answered: the program (null if refused), the errno, the log. */
    public record LoadAttempt(BpfFd program, Errno errno, String verifierLog) {
    }

    /**
     * One BPF_PROG_LOAD of a program without BTF, with a {@code logSize}-byte verifier log, that
     * reports a refusal rather than throwing it: how a feature probe asks.
     */
    public static LoadAttempt loadAttempt(int type, long[] instructions, String license, int logSize) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment insns = arena.allocateFrom(ValueLayout.JAVA_LONG, instructions);
            MemorySegment licence = arena.allocateFrom(license);
            MemorySegment log = arena.allocate(logSize);
            MemorySegment attr = Bpf.attr();
            attr.set(ValueLayout.JAVA_INT, 0, type);
            attr.set(ValueLayout.JAVA_INT, 4, instructions.length);
            attr.set(ValueLayout.JAVA_LONG, 8, insns.address());
            attr.set(ValueLayout.JAVA_LONG, 16, licence.address());
            attr.set(ValueLayout.JAVA_INT, 24, 1);
            attr.set(ValueLayout.JAVA_INT, 28, (int) log.byteSize());
            attr.set(ValueLayout.JAVA_LONG, 32, log.address());
            long result = Sys.bpf(BpfCommand.BPF_PROG_LOAD.number(), attr, Bpf.ATTR_SIZE);
            String verifier = log.getString(0, StandardCharsets.UTF_8).strip();
            return result >= 0 ? new LoadAttempt(BpfFd.adopt((int) result, "probe program"), null, verifier)
                    : new LoadAttempt(null, Errno.of((int) -result), verifier);
        }
    }

    /**
     * BPF_PROG_LOAD: the program's fd. A refusal carries the verifier log, retried with logging on
     * so that the fast path does not pay for it.
     */
    public static BpfFd load(ProgramLoad request) {
        // Every fd the attributes name stays open until the kernel has taken its own references.
        List<BpfFd> held = new ArrayList<>();
        try {
            int btfFd = Bpf.acquire(request.btf(), held);
            int attachObject = Bpf.acquire(request.attachBtfObject(), held);
            int[] fdArray = new int[request.fdArray().size()];
            for (int i = 0; i < fdArray.length; i++) {
                fdArray[i] = Bpf.acquire(request.fdArray().get(i), held);
            }
            return load(request, new LoadFds(btfFd, attachObject, fdArray));
        } finally {
            held.forEach(BpfFd::release);
        }
    }

    /** The fd numbers of one load: the object's BTF, the attach target's module BTF, {@code fd_array}. */
    private record LoadFds(int btf, int attachBtfObject, int[] fdArray) {
    }

    private static BpfFd load(ProgramLoad request, LoadFds fds) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = loadAttr(request, fds, arena);
            long result = Sys.bpf(BpfCommand.BPF_PROG_LOAD.number(), attr, Bpf.ATTR_SIZE);
            if (result >= 0) {
                return BpfFd.adopt((int) result, "program '" + request.name() + "'");
            }
            MemorySegment log = arena.allocate(1 << 20);
            attr = loadAttr(request, fds, arena);
            attr.set(ValueLayout.JAVA_INT, 24, 1);
            attr.set(ValueLayout.JAVA_INT, 28, (int) log.byteSize());
            attr.set(ValueLayout.JAVA_LONG, 32, log.address());
            long again = Sys.bpf(BpfCommand.BPF_PROG_LOAD.number(), attr, Bpf.ATTR_SIZE);
            String verifier = log.getString(0).strip();
            if (again >= 0) {
                BpfFd.adopt((int) again, "program '" + request.name() + "'").close();
            }
            throw new BpfException(BpfCommand.BPF_PROG_LOAD, Errno.of((int) -result), "program '" + request.name() + "'",
                    "the verifier refused it:\n" + (verifier.isEmpty() ? "(no verifier log)" : verifier));
        }
    }

    private static MemorySegment loadAttr(ProgramLoad request, LoadFds fds, Arena arena) {
        MemorySegment insns = arena.allocateFrom(ValueLayout.JAVA_LONG, request.instructions());
        MemorySegment license = arena.allocateFrom(request.license());
        MemorySegment attr = Bpf.attr();
        attr.set(ValueLayout.JAVA_INT, 0, request.type());
        attr.set(ValueLayout.JAVA_INT, 4, request.instructions().length);
        attr.set(ValueLayout.JAVA_LONG, 8, insns.address());
        attr.set(ValueLayout.JAVA_LONG, 16, license.address());
        byte[] bytes = request.name().getBytes(StandardCharsets.US_ASCII);
        MemorySegment.copy(bytes, 0, attr, ValueLayout.JAVA_BYTE, 48, Math.min(bytes.length, 15));
        attr.set(ValueLayout.JAVA_INT, 44, request.flags()); // prog_flags
        attr.set(ValueLayout.JAVA_INT, 68, request.expectedAttachType());
        attr.set(ValueLayout.JAVA_INT, 108, request.attachBtfId());
        attr.set(ValueLayout.JAVA_INT, 112, fds.attachBtfObject()); // attach_btf_obj_fd (0: vmlinux)
        if (fds.fdArray().length > 0) {
            attr.set(ValueLayout.JAVA_LONG, 120, arena.allocateFrom(ValueLayout.JAVA_INT, fds.fdArray()).address());
        }
        int btfFd = fds.btf();
        if (btfFd > 0) {
            attr.set(ValueLayout.JAVA_INT, 72, btfFd);
            if (request.funcInfo().length > 0) {
                attr.set(ValueLayout.JAVA_INT, 76, ProgramLoad.FUNC_INFO_SIZE);
                attr.set(ValueLayout.JAVA_LONG, 80, arena.allocateFrom(ValueLayout.JAVA_INT, request.funcInfo()).address());
                attr.set(ValueLayout.JAVA_INT, 88, request.funcInfo().length / 2);
            }
            if (request.lineInfo().length > 0) {
                attr.set(ValueLayout.JAVA_INT, 92, ProgramLoad.LINE_INFO_SIZE);
                attr.set(ValueLayout.JAVA_LONG, 96, arena.allocateFrom(ValueLayout.JAVA_INT, request.lineInfo()).address());
                attr.set(ValueLayout.JAVA_INT, 104, request.lineInfo().length / 4);
            }
        }
        return attr;
    }
}
