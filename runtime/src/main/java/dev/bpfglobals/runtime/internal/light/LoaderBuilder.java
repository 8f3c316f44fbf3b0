package dev.bpfglobals.runtime.internal.light;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds a light skeleton's loader ({@link LoaderProgram}) from a {@link LightPlan}, as libbpf's
 * gen_loader does for {@code bpftool gen skeleton -L}: every bpf(2) call the normal loader would
 * make becomes an attribute struct in the data blob and a {@code bpf_sys_bpf} call in the program.
 * What is known only at run time is written into the blob by the program just before the call
 * that reads it: descriptors (from the context, where each creation stored its result) and
 * pointers (the blob's kernel address plus an offset, since {@code bpf_sys_bpf} reads its
 * attributes, and what they point at, from kernel memory). Each call's result is checked; the
 * first failure records its step and errno in the context, closes every descriptor made so far
 * and returns, so a failed load leaves nothing open.
 */
public final class LoaderBuilder {

    /** The kernel's limit on one ARRAY value (KMALLOC_MAX_SIZE on x86-64): the blob must fit. */
    static final int MAX_BLOB = 4 << 20;
    /** {@code BPF_F_ALL_CPUS}: one value slot written to every CPU's copy. */
    static final long F_ALL_CPUS = 16;

    private static final int MAP_CREATE_ATTR = 72;
    private static final int MAP_ELEM_ATTR = 32;
    private static final int MAP_FREEZE_ATTR = 8;
    private static final int BTF_LOAD_ATTR = 32;
    private static final String FAIL = "fail";

    private final LightPlan plan;
    private final LoaderContext context;
    private final LoaderBlob blob = new LoaderBlob();
    private final LoaderAsm asm = new LoaderAsm();
    private final List<LoaderStep> steps = new ArrayList<>();
    private final int fdArray;
    private final ProgramLoadFields btfFields = new ProgramLoadFields(asm, blob);
    private final KernelSymbolFields symbolFields;
    /** Where the loader keeps each kernel symbol's module BTF descriptor while its program loads. */
    private final List<Integer> symbolDescriptors = new ArrayList<>();
    private int nextKfuncSlot;

    private LoaderBuilder(LightPlan plan) {
        this.plan = plan;
        this.context = new LoaderContext(plan.maps().size(), plan.programs().size());
        // fd_array: the maps' descriptors, then one slot per kfunc call for a module's BTF.
        int kfuncCalls = plan.programs().stream().mapToInt(p -> (int) p.symbols().stream().filter(KernelSymbolRef::call).count()).sum();
        this.fdArray = blob.reserve(Math.max(4, 4 * (plan.maps().size() + kfuncCalls)));
        this.symbolFields = new KernelSymbolFields(asm, blob, fdArray);
        this.nextKfuncSlot = plan.maps().size();
    }

    /**
     * The loader of {@code plan}.
     *
     * @param plan the maps, programs, BTF and per-CPU fill to load
     * @return the loader program and its data
     * @throws IllegalArgumentException if the data would not fit one map value
     */
    public static LoaderProgram build(LightPlan plan) {
        return new LoaderBuilder(plan).build();
    }

    private LoaderProgram build() {
        asm.mov(LoaderAsm.R6, LoaderAsm.R1); // r6 = ctx, kept across helper calls
        int zeroKey = blob.reserve(8);
        if (plan.btf() != null) {
            loadBtf();
        }
        for (int i = 0; i < plan.maps().size(); i++) {
            createMap(i, plan.maps().get(i), zeroKey);
        }
        for (int i = 0; i < plan.programs().size(); i++) {
            loadProgram(i, plan.programs().get(i));
        }
        finishSuccess();
        finishFailure();
        byte[] data = blob.toBytes();
        if (data.length > MAX_BLOB) {
            throw new IllegalArgumentException("the light skeleton's loader data is " + data.length
                    + " bytes; one map value holds at most " + MAX_BLOB);
        }
        return new LoaderProgram(asm.finish(), data, context, steps, plan.maps().stream().map(LightMap::name).toList(),
                plan.programs().stream().map(LightProgram::name).toList());
    }

    private void loadBtf() {
        byte[] btf = plan.btf();
        int data = blob.put(btf);
        int attr = blob.putAttr(new LoaderBlob.Attr(BTF_LOAD_ATTR).putInt(16, btf.length)); // btf_size
        storePointer(attr, 0, data); // btf
        sysBpf(new LoaderStep(LoaderStep.Kind.BTF_LOAD, 0, "", 0, 0), attr, BTF_LOAD_ATTR);
        asm.storeWord(LoaderAsm.R6, LoaderContext.BTF_FD, LoaderAsm.R0);
    }

    private void createMap(int index, LightMap map, int zeroKey) {
        LoaderBlob.Attr create = new LoaderBlob.Attr(MAP_CREATE_ATTR).putInt(0, map.type()).putInt(4, map.keySize())
                .putInt(8, map.valueSize()).putInt(12, map.maxEntries()).putInt(16, map.flags()).putName(28, map.name());
        boolean typed = plan.btf() != null && map.btfValueTypeId() != 0;
        if (typed) {
            create.putInt(52, map.btfKeyTypeId()).putInt(56, map.btfValueTypeId());
        }
        int attr = blob.putAttr(create);
        if (typed) {
            storeFromContext(attr, 48, LoaderContext.BTF_FD); // btf_fd
        }
        sysBpf(new LoaderStep(LoaderStep.Kind.MAP_CREATE, index, map.name(), 0, 0), attr, MAP_CREATE_ATTR);
        asm.storeWord(LoaderAsm.R6, context.mapFd(index), LoaderAsm.R0);
        asm.mapValue(LoaderAsm.R1, 0, fdArray + 4 * index).storeWord(LoaderAsm.R1, 0, LoaderAsm.R0);
        if (map.initialValue() != null) {
            fill(index, map, zeroKey);
        }
        if (map.freeze()) {
            int freeze = blob.putAttr(new LoaderBlob.Attr(MAP_FREEZE_ATTR));
            storeFromContext(freeze, 0, context.mapFd(index)); // map_fd
            sysBpf(new LoaderStep(LoaderStep.Kind.MAP_FREEZE, index, map.name(), 0, 0), freeze, MAP_FREEZE_ATTR);
        }
    }

    /**
     * Writes {@code map}'s initial value at key 0. A per-CPU map takes one 8-aligned slot per
     * possible CPU, unless the kernel has {@code BPF_F_ALL_CPUS}: then one slot for all of them.
     */
    private void fill(int index, LightMap map, int zeroKey) {
        byte[] image = map.initialValue();
        long flags = 0;
        byte[] value = image;
        if (map.perCpu()) {
            int slot = (map.valueSize() + 7) & ~7;
            int slots = plan.allCpus() ? 1 : plan.possibleCpus();
            flags = plan.allCpus() ? F_ALL_CPUS : 0;
            value = new byte[slot * slots];
            for (int cpu = 0; cpu < slots; cpu++) {
                System.arraycopy(image, 0, value, cpu * slot, image.length);
            }
        }
        int data = blob.put(value);
        int attr = blob.putAttr(new LoaderBlob.Attr(MAP_ELEM_ATTR).putLong(24, flags));
        storeFromContext(attr, 0, context.mapFd(index)); // map_fd
        storePointer(attr, 8, zeroKey); // key
        storePointer(attr, 16, data); // value
        sysBpf(new LoaderStep(LoaderStep.Kind.MAP_UPDATE, index, map.name(), flags, value.length), attr, MAP_ELEM_ATTR);
    }

    private void loadProgram(int index, LightProgram program) {
        int insns = blob.putInstructions(program.instructions());
        List<Integer> descriptors = new ArrayList<>();
        for (KernelSymbolRef symbol : program.symbols()) {
            int slot = symbol.call() ? nextKfuncSlot++ : 0;
            step(new LoaderStep(LoaderStep.Kind.KERNEL_SYMBOL, index, program.name() + "' kernel symbol " + symbol.describe(), 0, 0));
            symbolFields.emitResolve(insns, symbol, slot, FAIL, "symbol_" + index + "_" + symbol.instruction());
            descriptors.add(symbolFields.descriptorAt(insns, symbol, slot));
        }
        symbolDescriptors.addAll(descriptors);
        int license = blob.putString(program.license());
        LoaderBlob.Attr load = new LoaderBlob.Attr(ProgramLoadFields.ATTR_SIZE).putInt(0, program.type())
                .putInt(4, program.instructions().length).putInt(44, program.flags()).putName(48, program.name())
                .putInt(68, program.expectedAttachType());
        boolean btf = plan.btf() != null && ProgramLoadFields.usesBtf(program);
        if (btf) {
            ProgramLoadFields.putCounts(load, program);
        }
        int attr = blob.putAttr(load);
        if (btf) {
            btfFields.emitRecords(attr, program, LoaderContext.BTF_FD);
        }
        if (program.attachTarget() != null) {
            step(new LoaderStep(LoaderStep.Kind.ATTACH_TARGET, index, program.name() + "' attach target "
                    + program.attachTarget(), 0, 0));
            btfFields.emitFindTarget(attr, program.attachTarget(), FAIL);
        }
        storePointer(attr, 8, insns);
        storePointer(attr, 16, license);
        if (!plan.maps().isEmpty() || nextKfuncSlot > plan.maps().size()) {
            storePointer(attr, 120, fdArray); // fd_array
        }
        // The verifier log goes to the user-space buffer the context names (none unless asked).
        storeFromContext(attr, 24, LoaderContext.LOG_LEVEL);
        storeFromContext(attr, 28, LoaderContext.LOG_SIZE);
        asm.loadDouble(LoaderAsm.R0, LoaderAsm.R6, LoaderContext.LOG_BUF);
        asm.mapValue(LoaderAsm.R1, 0, attr).storeDouble(LoaderAsm.R1, 32, LoaderAsm.R0);
        if (program.attachTarget() == null && descriptors.isEmpty()) {
            sysBpf(new LoaderStep(LoaderStep.Kind.PROG_LOAD, index, program.name(), 0, 0), attr, ProgramLoadFields.ATTR_SIZE);
        } else {
            // Whatever the load answered (kept in r7), the module BTF descriptors the lookups opened are closed.
            sysBpfCall(new LoaderStep(LoaderStep.Kind.PROG_LOAD, index, program.name(), 0, 0), attr, ProgramLoadFields.ATTR_SIZE);
            asm.mov(LoaderAsm.R7, LoaderAsm.R0);
            if (program.attachTarget() != null) {
                btfFields.emitCloseTargetModule(attr, "target_module_closed_" + index);
            }
            for (int i = 0; i < descriptors.size(); i++) {
                symbolFields.emitClose(descriptors.get(i), "symbol_closed_" + index + "_" + i);
            }
            asm.mov(LoaderAsm.R0, LoaderAsm.R7);
            asm.jumpIfSignedBelow(LoaderAsm.R0, 0, FAIL);
        }
        asm.storeWord(LoaderAsm.R6, context.programFd(index), LoaderAsm.R0);
    }

    /**
     * Records {@code step} in the context, calls {@code bpf_sys_bpf(command, &blob[attr], size)}
     * and jumps to the failure path if it returned a negative errno; else r0 holds its result.
     */
    private void sysBpf(LoaderStep step, int attr, int size) {
        sysBpfCall(step, attr, size);
        asm.jumpIfSignedBelow(LoaderAsm.R0, 0, FAIL);
    }

    /** Records {@code step} and calls {@code bpf_sys_bpf(command, &blob[attr], size)}, leaving its result in r0 unchecked. */
    private void sysBpfCall(LoaderStep step, int attr, int size) {
        step(step);
        asm.movImm(LoaderAsm.R1, step.kind().command().number());
        asm.mapValue(LoaderAsm.R2, 0, attr);
        asm.movImm(LoaderAsm.R3, size);
        asm.call(LoaderAsm.HELPER_SYS_BPF);
    }

    /** Adds {@code step} to the list and stores its 1-based number in the context, so a failure names it. */
    private void step(LoaderStep step) {
        steps.add(step);
        asm.movImm(LoaderAsm.R1, steps.size()).storeWord(LoaderAsm.R6, LoaderContext.STEP, LoaderAsm.R1);
    }

    /** {@code blob[attr + field] = &blob[target]} (a kernel pointer, known only once the program runs). */
    private void storePointer(int attr, int field, int target) {
        asm.mapValue(LoaderAsm.R0, 0, target);
        asm.mapValue(LoaderAsm.R1, 0, attr).storeDouble(LoaderAsm.R1, field, LoaderAsm.R0);
    }

    /** {@code blob[attr + field] = ctx[slot]} (32 bits: a descriptor, or a log setting). */
    private void storeFromContext(int attr, int field, int slot) {
        asm.loadWord(LoaderAsm.R0, LoaderAsm.R6, slot);
        asm.mapValue(LoaderAsm.R1, 0, attr).storeWord(LoaderAsm.R1, field, LoaderAsm.R0);
    }

    /** Closes the BTF (the maps hold their own references), marks the load done, returns 0. */
    private void finishSuccess() {
        if (plan.btf() != null) {
            closeSlot(LoaderContext.BTF_FD, "btf_closed");
        }
        asm.movImm(LoaderAsm.R1, 0).storeWord(LoaderAsm.R6, LoaderContext.STEP, LoaderAsm.R1);
        asm.movImm(LoaderAsm.R0, 0).exit();
    }

    /** Records the errno, closes every descriptor made so far, returns the errno. */
    private void finishFailure() {
        asm.label(FAIL);
        asm.storeWord(LoaderAsm.R6, LoaderContext.ERROR, LoaderAsm.R0);
        asm.mov(LoaderAsm.R7, LoaderAsm.R0);
        closeSlot(LoaderContext.BTF_FD, "skip_btf");
        for (int i = 0; i < context.maps(); i++) {
            closeSlot(context.mapFd(i), "skip_map_" + i);
        }
        for (int i = 0; i < context.programs(); i++) {
            closeSlot(context.programFd(i), "skip_prog_" + i);
        }
        for (int i = 0; i < symbolDescriptors.size(); i++) {
            symbolFields.emitClose(symbolDescriptors.get(i), "skip_symbol_" + i);
        }
        asm.mov(LoaderAsm.R0, LoaderAsm.R7).exit();
    }

    /** {@code if (ctx[slot] > 0) { close(ctx[slot]); ctx[slot] = 0; }}. */
    private void closeSlot(int slot, String skip) {
        asm.loadWord(LoaderAsm.R1, LoaderAsm.R6, slot);
        asm.jumpIfSignedAtMost(LoaderAsm.R1, 0, skip);
        asm.call(LoaderAsm.HELPER_SYS_CLOSE);
        asm.movImm(LoaderAsm.R1, 0).storeWord(LoaderAsm.R6, slot, LoaderAsm.R1);
        asm.label(skip);
    }
}
