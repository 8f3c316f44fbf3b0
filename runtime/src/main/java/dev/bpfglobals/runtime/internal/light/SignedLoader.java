package dev.bpfglobals.runtime.internal.light;

import dev.bpfglobals.runtime.internal.Bpf;
import dev.bpfglobals.runtime.internal.BpfMaps;
import dev.bpfglobals.runtime.internal.ProgramLoad;
import dev.bpfglobals.runtime.internal.Sys;
import dev.bpfglobals.runtime.kernel.BpfCommand;
import dev.bpfglobals.runtime.kernel.BpfException;
import dev.bpfglobals.runtime.kernel.BpfFd;
import dev.bpfglobals.runtime.kernel.Errno;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Runs a light skeleton's loader as a signed BPF program (Linux's {@code BPF_PROG_LOAD}
 * {@code signature}, {@code signature_size}, {@code keyring_id}). The kernel verifies a PKCS#7
 * signature over the loader's instructions followed by the value of every map it binds, so the data
 * goes in an ARRAY map that is exclusive to the loader ({@code excl_prog_hash}, the SHA-256 the kernel
 * computes of its instructions) and frozen before the load, and the loader binds it through a
 * continuous {@code fd_array} ({@code fd_array_cnt = 1}). The run and the descriptors it leaves are
 * {@link LightLoader}'s.
 */
public final class SignedLoader {

    /** {@code union bpf_attr} up to and including {@code excl_prog_hash_size}, for BPF_MAP_CREATE. */
    private static final int MAP_CREATE_SIZE = 96;
    /** {@code union bpf_attr} up to and including {@code keyring_id}, for BPF_PROG_LOAD. */
    static final int PROG_LOAD_SIZE = 168;
    private static final String DATA_MAP = "signed light skeleton loader's data map";

    private SignedLoader() {
    }

    /**
     * The bytes a signature must cover for {@code loader}: its instructions, then its data (the one
     * map it binds), as the kernel lays them out before it verifies.
     *
     * @param loader the loader program and its data
     * @return instructions (native byte order) followed by the data
     */
    public static byte[] signedContent(LoaderProgram loader) {
        long[] instructions = loader.instructions();
        byte[] blob = loader.blob();
        ByteBuffer content = ByteBuffer.allocate(instructions.length * 8 + blob.length).order(ByteOrder.nativeOrder());
        for (long instruction : instructions) {
            content.putLong(instruction);
        }
        return content.put(blob).array();
    }

    /**
     * Loads and runs {@code loader} as a signed program, verified against {@code keyringId}.
     *
     * @param loader    the loader program and its data, exactly as signed
     * @param signature a detached PKCS#7 signature of {@link #signedContent}
     * @param keyringId 0, 1, 2 for the built-in, secondary and platform keyrings, else a keyring serial
     * @return the maps and programs it made, to close
     * @throws BpfException naming a kernel without signed programs, a signature that does not verify against
     *                      the keyring, or the loader's failing step
     */
    public static LightObject load(LoaderProgram loader, byte[] signature, int keyringId) {
        return load(loader, signature, keyringId, () -> { });
    }

    /**
     * As {@link #load(LoaderProgram, byte[], int)}, calling {@code beforeRun} once the kernel has verified
     * and loaded the loader and before it runs: a check that would otherwise hide a failed verification.
     *
     * @param loader    the loader program and its data, exactly as signed
     * @param signature a detached PKCS#7 signature of {@link #signedContent}
     * @param keyringId 0, 1, 2 for the built-in, secondary and platform keyrings, else a keyring serial
     * @param beforeRun what must hold before the loader runs; its exception stops the load
     * @return the maps and programs it made, to close
     * @throws BpfException naming a kernel without signed programs, a signature that does not verify against
     *                      the keyring, or the loader's failing step
     */
    public static LightObject load(LoaderProgram loader, byte[] signature, int keyringId, Runnable beforeRun) {
        requireSignedPrograms(keyringId);
        try (BpfFd data = exclusiveDataMap(loader); BpfFd program = loadSigned(loader, data, signature, keyringId)) {
            beforeRun.run();
            return LightLoader.run(loader, program);
        }
    }

    /**
     * The SHA-256 the kernel gives a program ({@code bpf_prog_calc_tag}): of its instructions with the
     * immediates of map-descriptor loads ({@code BPF_PSEUDO_MAP_FD}, {@code BPF_PSEUDO_MAP_VALUE}) zeroed.
     *
     * @param instructions the program
     * @return its 32-byte digest
     */
    public static byte[] programDigest(long[] instructions) {
        ByteBuffer raw = ByteBuffer.allocate(instructions.length * 8).order(ByteOrder.nativeOrder());
        boolean inMapLoad = false;
        for (long insn : instructions) {
            ByteBuffer one = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(0, insn);
            int code = one.get(0) & 0xff;
            int regs = one.get(1) & 0xff;
            int src = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? regs >>> 4 : regs & 0xf;
            if (!inMapLoad && code == 0x18 && (src == 1 || src == 2)) {
                inMapLoad = true;
                one.putInt(4, 0);
            } else if (inMapLoad && code == 0 && regs == 0 && one.getShort(2) == 0) {
                inMapLoad = false;
                one.putInt(4, 0);
            } else {
                inMapLoad = false;
            }
            raw.put(one.array());
        }
        try {
            return MessageDigest.getInstance("SHA-256").digest(raw.array());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** The data as the one value of an ARRAY map only this loader may use, frozen once filled. */
    private static BpfFd exclusiveDataMap(LoaderProgram loader) {
        byte[] blob = loader.blob();
        BpfFd map;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = arena.allocate(MAP_CREATE_SIZE, 8);
            attr.set(ValueLayout.JAVA_INT, 0, 2); // BPF_MAP_TYPE_ARRAY
            attr.set(ValueLayout.JAVA_INT, 4, 4);
            attr.set(ValueLayout.JAVA_INT, 8, blob.length);
            attr.set(ValueLayout.JAVA_INT, 12, 1);
            MemorySegment.copy("light_loader".getBytes(StandardCharsets.US_ASCII), 0, attr, ValueLayout.JAVA_BYTE, 28, 12);
            attr.set(ValueLayout.JAVA_LONG, 80, arena.allocateFrom(ValueLayout.JAVA_BYTE, programDigest(loader.instructions())).address());
            attr.set(ValueLayout.JAVA_INT, 88, 32);
            long fd = Sys.bpf(BpfCommand.BPF_MAP_CREATE.number(), attr, MAP_CREATE_SIZE);
            if (fd < 0) {
                throw SignedRefusal.ofDataMap(Errno.of((int) -fd));
            }
            map = BpfFd.adopt((int) fd, DATA_MAP);
        }
        try (Arena arena = Arena.ofConfined()) {
            BpfMaps.update(map, arena.allocate(4), arena.allocateFrom(ValueLayout.JAVA_BYTE, blob), 0);
            BpfMaps.freeze(map);
            return map;
        } catch (RuntimeException e) {
            map.close();
            throw e;
        }
    }

    /** BPF_PROG_LOAD of the loader with its signature; a refusal is retried with the verifier log, to name it. */
    private static BpfFd loadSigned(LoaderProgram loader, BpfFd data, byte[] signature, int keyringId) {
        return Bpf.using(data, dataFd -> {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment attr = progLoadAttr(arena, loader, dataFd, signature, keyringId);
                long fd = Sys.bpf(BpfCommand.BPF_PROG_LOAD.number(), attr, PROG_LOAD_SIZE);
                if (fd >= 0) {
                    return BpfFd.adopt((int) fd, "signed light skeleton loader");
                }
                Errno errno = Errno.of((int) -fd);
                MemorySegment log = arena.allocate(1 << 20);
                attr.set(ValueLayout.JAVA_INT, 24, 1);
                attr.set(ValueLayout.JAVA_INT, 28, (int) log.byteSize());
                attr.set(ValueLayout.JAVA_LONG, 32, log.address());
                long again = Sys.bpf(BpfCommand.BPF_PROG_LOAD.number(), attr, PROG_LOAD_SIZE);
                if (again >= 0) {
                    BpfFd.adopt((int) again, "signed light skeleton loader").close();
                }
                throw SignedRefusal.ofLoad(errno, keyringId, log.getString(0, StandardCharsets.UTF_8));
            }
        });
    }

    private static MemorySegment progLoadAttr(Arena arena, LoaderProgram loader, int dataFd, byte[] signature, int keyringId) {
        long[] instructions = loader.instructions();
        MemorySegment attr = arena.allocate(PROG_LOAD_SIZE, 8);
        attr.set(ValueLayout.JAVA_INT, 0, LightLoader.PROG_TYPE_SYSCALL);
        attr.set(ValueLayout.JAVA_INT, 4, instructions.length);
        attr.set(ValueLayout.JAVA_LONG, 8, arena.allocateFrom(ValueLayout.JAVA_LONG, instructions).address());
        attr.set(ValueLayout.JAVA_LONG, 16, arena.allocateFrom(LoaderProgram.LICENSE).address());
        attr.set(ValueLayout.JAVA_INT, 44, ProgramLoad.SLEEPABLE);
        MemorySegment.copy("light_loader".getBytes(StandardCharsets.US_ASCII), 0, attr, ValueLayout.JAVA_BYTE, 48, 12);
        attr.set(ValueLayout.JAVA_LONG, 120, arena.allocateFrom(ValueLayout.JAVA_INT, dataFd).address()); // fd_array
        attr.set(ValueLayout.JAVA_INT, 148, 1); // fd_array_cnt: bound up front, as a signed program must
        attr.set(ValueLayout.JAVA_LONG, 152, arena.allocateFrom(ValueLayout.JAVA_BYTE, signature).address());
        attr.set(ValueLayout.JAVA_INT, 160, signature.length);
        attr.set(ValueLayout.JAVA_INT, 164, keyringId);
        return attr;
    }

    /**
     * Refuses, in one line, a kernel whose {@code BPF_PROG_LOAD} has no signature fields. The probe loads
     * an unsigned two-instruction socket filter with {@code keyring_id}, the last of the fields, set: a
     * kernel that knows the field loads it (an unsigned program's keyring is not looked at), one that
     * does not refuses the non-zero bytes past its own attribute (E2BIG, or EINVAL within its union).
     *
     * @param keyringId the keyring the load will name, for the message
     * @throws BpfException with the probe's errno where the kernel lacks the fields
     */
    public static void requireSignedPrograms(int keyringId) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = arena.allocate(PROG_LOAD_SIZE, 8);
            attr.set(ValueLayout.JAVA_INT, 0, 1); // BPF_PROG_TYPE_SOCKET_FILTER
            attr.set(ValueLayout.JAVA_INT, 4, 2);
            attr.set(ValueLayout.JAVA_LONG, 8, arena.allocateFrom(ValueLayout.JAVA_LONG, 0xb7L, 0x95L).address()); // r0 = 0; exit
            attr.set(ValueLayout.JAVA_LONG, 16, arena.allocateFrom("GPL").address());
            attr.set(ValueLayout.JAVA_INT, 164, 1);
            long result = Sys.bpf(BpfCommand.BPF_PROG_LOAD.number(), attr, PROG_LOAD_SIZE);
            if (result >= 0) {
                BpfFd.adopt((int) result, "signature probe").close();
                return;
            }
            Errno errno = Errno.of((int) -result);
            // E2BIG or EINVAL: the kernel refused the fields; anything else (EPERM without CAP_BPF, a
            // security module) refused the probe itself, and says nothing of signed programs.
            throw new BpfException(BpfCommand.BPF_PROG_LOAD, errno, SignedRefusal.WHAT + ", keyring " + keyringId,
                    errno == Errno.E2BIG || errno == Errno.EINVAL ? SignedRefusal.NO_SIGNED_PROGRAMS
                            : "the probe for signed programs (an unsigned socket filter naming the keyring) was refused");
        }
    }
}
