package dev.bpfglobals.runtime.internal.loader;

import dev.bpfglobals.runtime.btf.Btf;
import dev.bpfglobals.runtime.btf.BtfKind;
import dev.bpfglobals.runtime.btf.BtfType;
import dev.bpfglobals.runtime.btf.KernelBtf;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Supplier;

/**
 * Matches a struct_ops map of the object to the kernel's struct of the same name, member by
 * member and by name, as libbpf's {@code bpf_map__init_kern_struct_ops} does: the kernel's
 * {@code struct bpf_struct_ops_NAME} is found in vmlinux's BTF or a loaded module's, data members
 * are copied where the kernel has them (same kind, same size), and each function pointer set to a
 * program becomes a {@link StructOpsPlan.Slot}. A member the kernel lacks is skipped where the
 * object leaves it zero; anything else that does not fit is refused, naming the map and member.
 */
final class StructOpsMatch {

    static final String VALUE_PREFIX = "bpf_struct_ops_";

    private StructOpsMatch() {
    }

    static StructOpsPlan match(StructOpsImage map, Btf local, KernelBtf vmlinux, Supplier<List<KernelBtf>> modules) {
        String name = KernelBtf.essentialName(map.typeName());
        KernelBtf kernel = null;
        OptionalInt valueType = vmlinux.find(BtfKind.STRUCT, VALUE_PREFIX + name);
        if (valueType.isPresent()) {
            kernel = vmlinux;
        } else {
            for (KernelBtf module : modules.get()) {
                valueType = module.find(BtfKind.STRUCT, VALUE_PREFIX + name);
                if (valueType.isPresent()) {
                    kernel = module;
                    break;
                }
            }
        }
        if (kernel == null) {
            throw new IllegalArgumentException("struct_ops map '" + map.name() + "': the kernel has no struct_ops type for "
                    + "struct " + name + " (no struct " + VALUE_PREFIX + name + " in its BTF or any loaded module's), so it "
                    + "cannot register one; is struct " + name + " a struct_ops type of this kernel, and its module loaded?");
        }
        Btf types = kernel.btf();
        BtfType.Struct wrapper = types.type(valueType.getAsInt(), BtfType.Struct.class);
        int kernelTypeId = kernel.find(BtfKind.STRUCT, name).orElse(vmlinux.find(BtfKind.STRUCT, name).orElse(0));
        Optional<BtfType.Member> data = wrapper.members().stream().filter(m -> m.type() == kernelTypeId).findFirst();
        if (kernelTypeId == 0 || data.isEmpty()) {
            throw new IllegalArgumentException("struct_ops map '" + map.name() + "': the kernel's struct " + VALUE_PREFIX + name
                    + " holds no struct " + name);
        }
        byte[] value = new byte[Math.toIntExact(wrapper.size())];
        int dataOffset = data.get().bitOffset() / 8;
        BtfType.Struct mine = local.type(map.typeId(), BtfType.Struct.class);
        BtfType.Struct theirs = types.type(kernelTypeId, BtfType.Struct.class);
        List<StructOpsPlan.Slot> slots = new ArrayList<>();
        for (int i = 0; i < mine.members().size(); i++) {
            BtfType.Member member = mine.members().get(i);
            String what = "struct_ops map '" + map.name() + "': member '" + member.name() + "' of struct " + name;
            int offset = member.bitOffset() / 8;
            int size = Math.toIntExact(local.sizeOf(member.type()));
            String program = map.slots().get(i);
            int index = indexOf(theirs, member.name());
            if (index < 0) {
                if (program != null || !isZero(map.data(), offset, size)) {
                    throw new IllegalArgumentException(what + " is set, but this kernel's struct " + name + " has no such "
                            + "member (it has " + theirs.members().stream().map(BtfType.Member::name).toList() + ")");
                }
                continue; // as libbpf: a member newer than the kernel may be declared, if left zero
            }
            BtfType.Member kernelMember = theirs.members().get(index);
            if (member.bitfieldSize() != 0 || kernelMember.bitfieldSize() != 0) {
                throw new IllegalArgumentException(what + " is a bitfield, which struct_ops values cannot hold");
            }
            BtfKind kind = local.type(local.resolve(member.type())).kind();
            BtfKind kernelKind = types.type(types.resolve(kernelMember.type())).kind();
            if (kind != kernelKind) {
                throw new IllegalArgumentException(what + " is a " + kind + " in the object but a " + kernelKind
                        + " in the kernel's struct; declare it as the kernel does (from a vmlinux.h of this kernel)");
            }
            int kernelOffset = dataOffset + kernelMember.bitOffset() / 8;
            if (kind == BtfKind.PTR) {
                if (program != null) {
                    if (!StructOpsReader.isFunctionPointer(types, kernelMember.type())) {
                        throw new IllegalArgumentException(what + " is set to program '" + program + "', but in the kernel's "
                                + "struct it is no function pointer");
                    }
                    slots.add(new StructOpsPlan.Slot(program, member.name(), index, kernelOffset));
                }
                continue;
            }
            long kernelSize = types.sizeOf(kernelMember.type());
            if (kernelSize != size) {
                throw new IllegalArgumentException(what + " is " + size + " bytes in the object but " + kernelSize
                        + " in the kernel's struct; declare it as the kernel does (from a vmlinux.h of this kernel)");
            }
            System.arraycopy(map.data(), offset, value, kernelOffset, size);
        }
        return new StructOpsPlan(map, kernel.isModule() ? kernel.module() : null, valueType.getAsInt(), kernelTypeId, value, slots);
    }

    private static int indexOf(BtfType.Struct struct, String member) {
        for (int i = 0; i < struct.members().size(); i++) {
            if (struct.members().get(i).name().equals(member)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isZero(byte[] bytes, int offset, int size) {
        for (int i = offset; i < offset + size && i < bytes.length; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
