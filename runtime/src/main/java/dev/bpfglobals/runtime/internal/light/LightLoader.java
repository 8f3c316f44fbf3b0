package dev.bpfglobals.runtime.internal.light;

import dev.bpfglobals.runtime.internal.Bpf;
import dev.bpfglobals.runtime.internal.BpfMaps;
import dev.bpfglobals.runtime.internal.BpfPrograms;
import dev.bpfglobals.runtime.internal.ProgramLoad;
import dev.bpfglobals.runtime.kernel.BpfException;
import dev.bpfglobals.runtime.kernel.BpfFd;
import dev.bpfglobals.runtime.kernel.Errno;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a light skeleton's loader from Java, as libbpf's {@code bpf_load_and_run} does: stores the
 * data in a one-entry ARRAY map, loads the loader ({@code BPF_PROG_TYPE_SYSCALL}, sleepable, the
 * data map as {@code fd_array[0]}), runs it once with {@code BPF_PROG_TEST_RUN} on a zeroed context
 * and takes over the descriptors it left there. The data map and the loader are closed on every
 * path; so is every descriptor the loader made when something fails.
 */
public final class LightLoader {

    /** {@code BPF_PROG_TYPE_SYSCALL}. */
    static final int PROG_TYPE_SYSCALL = 31;
    /** The verifier log buffer of a second run that explains a refused program. */
    private static final int LOG_SIZE = 1 << 20;

    private LightLoader() {
    }

    /**
     * Loads everything {@code loader} describes.
     *
     * @param loader the loader program and its data
     * @return the maps and programs it made, to close
     * @throws BpfException if the kernel refuses the loader program (naming syscall programs or
     *                      {@code bpf_sys_bpf}), or a step of the loader fails (naming the step and its errno)
     */
    public static LightObject load(LoaderProgram loader) {
        try (BpfFd data = dataMap(loader); BpfFd program = loadLoader(loader, data)) {
            return run(loader, program);
        }
    }

    /** The loader's data as the one value of an ARRAY map, which the loader reads and patches. */
    static BpfFd dataMap(LoaderProgram loader) {
        byte[] blob = loader.blob();
        BpfFd map = BpfMaps.create(2 /* ARRAY */, 4, blob.length, 1, 0, "light_loader", null, 0, 0);
        try (Arena arena = Arena.ofConfined()) {
            BpfMaps.update(map, arena.allocate(4), arena.allocateFrom(ValueLayout.JAVA_BYTE, blob), 0);
            return map;
        } catch (RuntimeException e) {
            map.close();
            throw e;
        }
    }

    /** Loads the loader program; a refusal says whether the kernel refuses syscall programs or {@code bpf_sys_bpf}. */
    static BpfFd loadLoader(LoaderProgram loader, BpfFd data) {
        ProgramLoad request = new ProgramLoad(PROG_TYPE_SYSCALL, loader.instructions(), LoaderProgram.LICENSE, "light_loader",
                null, new int[0], new int[0], 0, 0, null, List.of(data), ProgramLoad.SLEEPABLE);
        try {
            return BpfPrograms.load(request);
        } catch (BpfException e) {
            throw LoaderRefusal.of(e);
        }
    }

    static LightObject run(LoaderProgram loader, BpfFd program) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment context = runOnce(loader, program, arena, null);
            int step = context.get(ValueLayout.JAVA_INT, LoaderContext.STEP);
            if (step == 0) {
                return adopt(loader, context);
            }
            closeLeftovers(loader, context); // the loader closes its own; this only guards against a loader bug
            LoaderStep failed = loader.steps().get(step - 1);
            Errno errno = Errno.of(-context.get(ValueLayout.JAVA_INT, LoaderContext.ERROR));
            String where = "light skeleton loader, step " + step + " of " + loader.steps().size() + ": " + failed.describe();
            String cause = LightStepException.knownCause(failed, errno);
            if (cause != null) {
                throw new LightStepException(failed, errno, where, cause);
            }
            if (failed.kind() == LoaderStep.Kind.PROG_LOAD) {
                String log = verifierLog(loader, program);
                if (errno == Errno.E2BIG && log.isBlank()) {
                    throw new LightStepException(failed, errno, where, LightStepException.NO_KERNEL_SIDE_CORE);
                }
                throw new LightStepException(failed, errno, where, "the verifier refused it: " + VerifierLog.lastError(log));
            }
            throw new LightStepException(failed, errno, where);
        }
    }

    /** Runs the loader on a fresh context; with {@code log}, its program loads write their verifier log there. */
    private static MemorySegment runOnce(LoaderProgram loader, BpfFd program, Arena arena, MemorySegment log) {
        MemorySegment context = arena.allocate(loader.context().size(), 8);
        context.set(ValueLayout.JAVA_INT, LoaderContext.SIZE, loader.context().size());
        if (log != null) {
            context.set(ValueLayout.JAVA_INT, LoaderContext.LOG_LEVEL, 1);
            context.set(ValueLayout.JAVA_INT, LoaderContext.LOG_SIZE, (int) log.byteSize());
            context.set(ValueLayout.JAVA_LONG, LoaderContext.LOG_BUF, log.address());
        }
        Bpf.testRunContext(program, context, 0, 0);
        return context;
    }

    /** Runs the loader again with the verifier log on, to say why a program was refused; it cleans up after itself. */
    private static String verifierLog(LoaderProgram loader, BpfFd program) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment log = arena.allocate(LOG_SIZE);
            MemorySegment context = runOnce(loader, program, arena, log);
            if (context.get(ValueLayout.JAVA_INT, LoaderContext.STEP) == 0) {
                adopt(loader, context).close(); // loaded this time after all; nothing to keep
                return "(the second attempt loaded it)";
            }
            closeLeftovers(loader, context);
            return log.getString(0);
        }
    }

    /** Takes over every descriptor of a successful run, or closes them all if one cannot be. */
    private static LightObject adopt(LoaderProgram loader, MemorySegment context) {
        List<BpfFd> adopted = new ArrayList<>();
        try {
            List<BpfFd> maps = new ArrayList<>();
            for (int i = 0; i < loader.mapNames().size(); i++) {
                String name = loader.mapNames().get(i);
                maps.add(adoptSlot(context, loader.context().mapFd(i), "map '" + name + "'", adopted));
            }
            Map<String, BpfFd> programs = new LinkedHashMap<>();
            for (int i = 0; i < loader.programNames().size(); i++) {
                String name = loader.programNames().get(i);
                programs.put(name, adoptSlot(context, loader.context().programFd(i), "program '" + name + "'", adopted));
            }
            return new LightObject(loader.mapNames(), maps, programs);
        } catch (RuntimeException e) {
            adopted.forEach(BpfFd::close);
            closeLeftovers(loader, context);
            throw e;
        }
    }

    private static BpfFd adoptSlot(MemorySegment context, int slot, String what, List<BpfFd> adopted) {
        int fd = context.get(ValueLayout.JAVA_INT, slot);
        if (fd <= 0) {
            throw new IllegalStateException("the light skeleton loader left no descriptor for " + what);
        }
        context.set(ValueLayout.JAVA_INT, slot, 0); // owned from here on
        BpfFd owner = BpfFd.adopt(fd, what);
        adopted.add(owner);
        return owner;
    }

    /** Closes every descriptor still in the context's slots. */
    private static void closeLeftovers(LoaderProgram loader, MemorySegment context) {
        List<Integer> slots = new ArrayList<>(List.of(LoaderContext.BTF_FD));
        for (int i = 0; i < loader.mapNames().size(); i++) {
            slots.add(loader.context().mapFd(i));
        }
        for (int i = 0; i < loader.programNames().size(); i++) {
            slots.add(loader.context().programFd(i));
        }
        for (int slot : slots) {
            int fd = context.get(ValueLayout.JAVA_INT, slot);
            if (fd > 0) {
                BpfFd.adopt(fd, "light skeleton leftover").close();
                context.set(ValueLayout.JAVA_INT, slot, 0);
            }
        }
    }
}
