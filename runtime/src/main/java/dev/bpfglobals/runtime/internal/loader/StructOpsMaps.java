package dev.bpfglobals.runtime.internal.loader;

import dev.bpfglobals.runtime.attach.Link;
import dev.bpfglobals.runtime.attach.ProgramType;
import dev.bpfglobals.runtime.attach.StructOpsAttach;
import dev.bpfglobals.runtime.btf.KernelBtf;
import dev.bpfglobals.runtime.internal.BpfMaps;
import dev.bpfglobals.runtime.internal.kernelenv.ModuleBtfObjects;
import dev.bpfglobals.runtime.kernel.BpfException;
import dev.bpfglobals.runtime.kernel.BpfFd;
import dev.bpfglobals.runtime.kernel.Errno;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The struct_ops steps of a load, in libbpf's order: before the programs load, each struct_ops map
 * is matched to the kernel ({@link StructOpsMatch}), which says what each of its programs is
 * verified for ({@code attach_btf_id}: the kernel's struct; {@code expected_attach_type}: the
 * member's index); once they are loaded, the maps are made, and each {@code .struct_ops.link} map
 * gets its value (the programs' descriptors in it), which readies it for a link without registering
 * it. Registration ({@link #attach}) writes a {@code .struct_ops} map's value then; libbpf's
 * {@code bpf_map__attach_struct_ops} writes both kinds there, tolerating the link maps' EBUSY.
 */
public final class StructOpsMaps {

    private final List<StructOpsPlan> plans;
    private final Map<String, LoadAttach> attachOf = new HashMap<>();

    private StructOpsMaps(List<StructOpsPlan> plans) {
        this.plans = plans;
    }

    /** Matches every struct_ops map of {@code object} to the running kernel; refuses a struct_ops program no map names. */
    static StructOpsMaps plan(ObjectImage object) {
        List<StructOpsPlan> plans = new ArrayList<>();
        if (!object.structOps().isEmpty()) {
            if (!Files.isReadable(KernelBtf.VMLINUX)) {
                throw new UnsupportedOperationException("struct_ops map '" + object.structOps().getFirst().name() + "' is matched "
                        + "to the kernel's struct by its BTF, but this kernel has no " + KernelBtf.VMLINUX
                        + " (built without CONFIG_DEBUG_INFO_BTF)");
            }
            for (StructOpsImage map : object.structOps()) {
                plans.add(StructOpsMatch.match(map, object.btf().orElseThrow(), KernelBtf.running(), KernelBtf::modules));
            }
        }
        StructOpsMaps maps = new StructOpsMaps(plans);
        for (StructOpsPlan plan : plans) {
            for (StructOpsPlan.Slot slot : plan.slots()) {
                LoadAttach attach = new LoadAttach(slot.memberIndex(), plan.kernelTypeId(), plan.module());
                LoadAttach earlier = maps.attachOf.putIfAbsent(slot.program(), attach);
                if (earlier != null && !earlier.equals(attach)) {
                    throw new IllegalArgumentException("program '" + slot.program() + "' is member '" + slot.member()
                            + "' of struct_ops map '" + plan.name() + "' and another member or struct elsewhere; the kernel "
                            + "verifies a struct_ops program for one member of one struct, so give each its own program");
                }
            }
        }
        for (ProgramImage program : object.programs()) {
            if (program.type() == ProgramType.STRUCT_OPS && object.autoload(program) && !maps.attachOf.containsKey(program.name())) {
                throw new IllegalArgumentException("program '" + program.name() + "' in section '" + program.section()
                        + "' is named by no struct_ops map, so the kernel cannot tell which callback it is; set a member of a "
                        + "struct in SEC(\".struct_ops\") or SEC(\".struct_ops.link\") to it, or drop it");
            }
        }
        return maps;
    }

    /**
     * Whether a struct_ops map names {@code program}, which then loads whatever its own autoload says
     * ({@code SEC("?struct_ops/...")}), as libbpf's {@code bpf_object_adjust_struct_ops_autoload} turns it on.
     */
    boolean names(ProgramImage program) {
        return attachOf.containsKey(program.name());
    }

    /** What {@code program} is verified for: its member of its struct for a struct_ops program, else {@code otherwise}. */
    LoadAttach attachOf(ProgramImage program, LoadAttach otherwise) {
        LoadAttach member = attachOf.get(program.name());
        return member == null ? otherwise
                : new LoadAttach(member.expectedAttachType(), member.attachBtfId(), member.module(), otherwise.sleepable());
    }

    /** Makes every struct_ops map, empty; the object's BTF must be in the kernel, which checks the value against it. */
    void make(ObjectBtf btf, ModuleBtfObjects modules, LoadResult loaded) {
        for (StructOpsPlan plan : plans) {
            if (btf.fd() == null) {
                throw new IllegalStateException("struct_ops map '" + plan.name() + "' needs the object's BTF in the kernel, "
                        + "which does not have it (" + btf.refusal() + ")");
            }
            try {
                loaded.structOps(plan, BpfMaps.createStructOps(plan.name(), plan.value().length,
                        plan.image().link() ? BpfMaps.F_LINK : 0, btf.fd(), plan.valueTypeId(),
                        plan.module() == null ? null : modules.fd(plan.module())));
                if (plan.image().link()) {
                    // A link map's value readies it without registering it: a link, or a link's update, registers it later.
                    try (Arena arena = Arena.ofConfined(); Value value = value(loaded, plan, arena)) {
                        StructOpsAttach.prepare(loaded.maps().fd(plan.name()), value.bytes(), plan.name());
                    }
                }
            } catch (BpfException refusal) {
                if (plan.image().link() && refusal.errno() == Errno.EINVAL) {
                    throw new UnsupportedOperationException("struct_ops map '" + plan.name() + "' in section "
                            + StructOpsImage.LINK_SECTION + ": this kernel (" + System.getProperty("os.version")
                            + ") refused its BPF_F_LINK with EINVAL; struct_ops links need kernel 6.4+ (declare the map in "
                            + StructOpsImage.SECTION + " to register it by its value)", refusal);
                }
                throw refusal;
            }
        }
    }

    /**
     * Registers struct_ops map {@code name} of {@code loaded}: a {@code .struct_ops} map by its value
     * ({@link StructOpsAttach#register}), a {@code .struct_ops.link} map, readied at load, through a link
     * ({@link StructOpsAttach#link}).
     *
     * @param loaded what a load made
     * @param name   a struct_ops map's name
     * @return the registration; closing it unregisters
     * @throws IllegalArgumentException where {@code name} is no struct_ops map of the object
     */
    public static Link attach(LoadResult loaded, String name) {
        StructOpsPlan plan = require(loaded, name);
        if (plan.image().link()) {
            return StructOpsAttach.link(loaded.maps().fd(name), name);
        }
        try (Arena arena = Arena.ofConfined(); Value value = value(loaded, plan, arena)) {
            return StructOpsAttach.register(loaded.maps().fd(name), value.bytes(), name);
        }
    }

    private static StructOpsPlan require(LoadResult loaded, String name) {
        StructOpsPlan plan = loaded.structOps(name);
        if (plan == null) {
            throw new IllegalArgumentException("'" + name + "' is no struct_ops map of this object (a variable in SEC(\""
                    + StructOpsImage.SECTION + "\") or SEC(\"" + StructOpsImage.LINK_SECTION + "\")); maps: " + loaded.maps().names());
        }
        return plan;
    }

    /** A value and the program descriptors whose numbers it holds, open until the kernel has read them. */
    private record Value(MemorySegment bytes, List<BpfFd> programs) implements AutoCloseable {
        @Override
        public void close() {
            programs.forEach(program -> {
                program.release();
                program.close();
            });
        }
    }

    /**
     * The value with each program's descriptor in its slot, as libbpf's {@code bpf_map_prepare_vdata}
     * fills it; the kernel takes references of its own while it reads the value.
     */
    private static Value value(LoadResult loaded, StructOpsPlan plan, Arena arena) {
        MemorySegment value = arena.allocate(plan.value().length, 8);
        MemorySegment.copy(plan.value(), 0, value, ValueLayout.JAVA_BYTE, 0, plan.value().length);
        Value filled = new Value(value, new ArrayList<>());
        try {
            for (StructOpsPlan.Slot slot : plan.slots()) {
                BpfFd program = loaded.programs().fd(slot.program());
                value.set(ValueLayout.JAVA_LONG_UNALIGNED, slot.offset(), program.acquire());
                filled.programs().add(program);
            }
            return filled;
        } catch (RuntimeException e) {
            filled.close();
            throw e;
        }
    }
}
