package dev.bpfglobals.runtime.internal.loader;

import dev.bpfglobals.runtime.attach.SectionDefinition;
import dev.bpfglobals.runtime.attach.SectionDefinitions;
import dev.bpfglobals.runtime.attach.SectionFlag;
import dev.bpfglobals.runtime.btf.KernelBtf;
import dev.bpfglobals.runtime.internal.Links;
import dev.bpfglobals.runtime.internal.light.AttachTarget;
import java.util.Optional;

/**
 * What a program is verified for in a light load: as {@link LoadAttach}, except that the attach
 * BTF id is not looked up here but named, for the loader program to find with
 * {@code bpf_btf_find_by_name_kind} on the kernel it runs on (vmlinux first, then each loaded
 * module), as libbpf's gen_loader does.
 *
 * @param expectedAttachType {@code enum bpf_attach_type}, 0 where the section names none
 * @param target             the kernel BTF type to look up, null for programs that need none
 * @param sleepable          whether the program loads with {@code BPF_F_SLEEPABLE}
 */
record LightAttach(int expectedAttachType, AttachTarget target, boolean sleepable) {

    /**
     * The attach type and target {@code program}'s section asks for.
     *
     * @throws UnsupportedOperationException for a section the normal load refuses too, or a target
     *                                       in a named module (the lookup cannot be confined to one)
     */
    static LightAttach of(ProgramImage program) {
        Optional<SectionDefinition> row = SectionDefinitions.find(program.section());
        if (row.isEmpty() || !row.get().has(SectionFlag.ATTACH_BTF) || program.attachTarget().isEmpty()) {
            // No BTF target: the normal load's answer, which looks nothing up (or refuses a missing target).
            LoadAttach attach = LoadAttach.of(program);
            return new LightAttach(attach.expectedAttachType(), null, attach.sleepable());
        }
        SectionDefinition definition = row.get();
        String target = program.attachTarget();
        int colon = target.indexOf(':');
        if (colon >= 0 && !target.substring(0, colon).equals(KernelBtf.VMLINUX_NAME)) {
            throw new UnsupportedOperationException("the light loader does not support attach targets in a named module yet"
                    + " (program '" + program.name() + "' in section '" + program.section() + "': bpf_btf_find_by_name_kind"
                    + " searches vmlinux and every module); load the object with LoadedObject.load");
        }
        int attachType = definition.expectedAttachType();
        String name = LoadAttach.targetPrefix(attachType) + target.substring(colon + 1);
        int kind = attachType == Links.TRACE_RAW_TP ? AttachTarget.KIND_TYPEDEF : AttachTarget.KIND_FUNC;
        return new LightAttach(attachType, new AttachTarget(name, kind), definition.has(SectionFlag.SLEEPABLE));
    }
}
