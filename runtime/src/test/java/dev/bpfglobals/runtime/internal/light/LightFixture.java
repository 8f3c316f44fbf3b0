package dev.bpfglobals.runtime.internal.light;

import dev.bpfglobals.contract.MapType;
import dev.bpfglobals.contract.SectionContract;
import dev.bpfglobals.contract.VariableContract;
import dev.bpfglobals.runtime.btf.SectionBtfWriter;
import dev.bpfglobals.runtime.internal.Bpf;
import dev.bpfglobals.runtime.internal.BpfMaps;
import dev.bpfglobals.runtime.kernel.BpfFd;
import dev.bpfglobals.runtime.kernel.MapInfo;
import dev.bpfglobals.runtime.kernel.ProgramInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The small hand-built object the light loader tests load: a {@code .percpu}-like PERCPU_ARRAY with
 * a 12-byte initial image (so each CPU's slot is padded to 16), a {@code .rodata}-like frozen ARRAY,
 * and a socket filter that returns this CPU's first per-CPU word plus the read-only word.
 */
final class LightFixture {

    static final int PERCPU_FIRST = 0x1234;
    static final int RODATA_WORD = 0x100000;
    static final int PERCPU_VALUE_SIZE = 12;
    static final int SOCKET_FILTER = 1;
    /** BPF_F_MMAPABLE | BPF_F_RDONLY_PROG, as libbpf makes {@code .rodata}. */
    static final int RODATA_FLAGS = BpfMaps.F_MMAPABLE | BpfMaps.F_RDONLY_PROG;

    private LightFixture() {
    }

    /** The per-CPU image: three little-endian words. */
    static byte[] percpuImage() {
        return ByteBuffer.allocate(PERCPU_VALUE_SIZE).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(PERCPU_FIRST).putInt(0x5678).putInt(0x9abc).array();
    }

    static byte[] rodataImage() {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(RODATA_WORD).array();
    }

    /** BTF whose DATASEC types the per-CPU map's value, as libbpf types {@code .percpu}. */
    static SectionBtfWriter.Encoded percpuBtf() {
        return SectionBtfWriter.encode(new SectionContract(SectionContract.PERCPU, MapType.PERCPU_ARRAY, 4,
                PERCPU_VALUE_SIZE, 1, 4, List.of(new VariableContract("first", "__u32", 0, 4, 4),
                        new VariableContract("second", "__u32", 4, 4, 4), new VariableContract("third", "__u32", 8, 4, 4))));
    }

    /** The two maps, {@code fd_array} indices 0 and 1, named {@code prefix.percpu} and {@code prefix.rodata}. */
    static List<LightMap> maps(String prefix, SectionBtfWriter.Encoded btf) {
        return List.of(
                new LightMap(prefix + ".percpu", LightMap.PERCPU_ARRAY, 4, PERCPU_VALUE_SIZE, 1, 0, btf.keyTypeId(),
                        btf.datasecId(), percpuImage(), false),
                new LightMap(prefix + ".rodata", LightMap.ARRAY, 4, 4, 1, RODATA_FLAGS, 0, 0, rodataImage(), true));
    }

    /**
     * A socket filter: {@code v = lookup(percpu, 0); return v ? v->first + rodata.word : 0}, the
     * per-CPU map by {@code BPF_PSEUDO_MAP_IDX} 0, the read-only word by {@code BPF_PSEUDO_MAP_IDX_VALUE} 1.
     */
    static LightProgram reader(String name) {
        LoaderAsm asm = new LoaderAsm();
        asm.movImm(LoaderAsm.R1, 0).storeWord(LoaderAsm.R10, -4, LoaderAsm.R1);
        asm.mov(LoaderAsm.R2, LoaderAsm.R10).addImm(LoaderAsm.R2, -4);
        asm.map(LoaderAsm.R1, 0).call(LoaderAsm.HELPER_MAP_LOOKUP_ELEM);
        asm.jumpIfEqual(LoaderAsm.R0, 0, "missing");
        asm.loadWord(LoaderAsm.R6, LoaderAsm.R0, 0);
        asm.mapValue(LoaderAsm.R1, 1, 0).loadWord(LoaderAsm.R0, LoaderAsm.R1, 0);
        asm.addReg(LoaderAsm.R0, LoaderAsm.R6).exit();
        asm.label("missing").movImm(LoaderAsm.R0, 0).exit();
        return new LightProgram(name, SOCKET_FILTER, 0, 0, "GPL", asm.finish());
    }

    /** Runs a socket filter once on a 64-byte packet on this CPU: its return value. */
    static int run(BpfFd program) {
        try (Arena arena = Arena.ofConfined()) {
            return Bpf.testRun(program, arena.allocate(64), 1).returnValue();
        }
    }

    /** Every possible CPU's copy of a per-CPU map's value at key 0, each slot 8-aligned. */
    static byte[][] perCpuValues(BpfFd map, int valueSize, int cpus) {
        int slot = (valueSize + 7) & ~7;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment values = arena.allocate((long) slot * cpus, 8);
            BpfMaps.lookup(map, arena.allocate(4), values, 0);
            byte[][] out = new byte[cpus][];
            for (int cpu = 0; cpu < cpus; cpu++) {
                out[cpu] = values.asSlice((long) cpu * slot, slot).toArray(ValueLayout.JAVA_BYTE);
            }
            return out;
        }
    }

    /** What the kernel says of one map, minus what differs between two loads of it (its ids). */
    record MapView(String name, String type, int keySize, int valueSize, int maxEntries, int flags, boolean btf,
            int btfKeyTypeId, int btfValueTypeId, boolean frozen) {
        static MapView of(BpfFd map) {
            MapInfo info = BpfMaps.info(map);
            return new MapView(info.name(), info.typeName(), info.keySize(), info.valueSize(), info.maxEntries(),
                    info.flags(), info.btfId() != 0, info.btfKeyTypeId(), info.btfValueTypeId(), frozen(map));
        }

        /** The kernel tells whether user space froze a map only in the descriptor's fdinfo. */
        private static boolean frozen(BpfFd map) {
            try {
                return Files.readAllLines(Path.of("/proc/self/fdinfo/" + map.value())).contains("frozen:\t1");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** What the kernel says of one program, minus its id. */
    record ProgramView(String name, int type, int xlatedLength) {
        static ProgramView of(BpfFd program) {
            ProgramInfo info = Bpf.progInfo(program);
            return new ProgramView(info.name(), info.kernelType(), info.xlatedLength());
        }
    }
}
