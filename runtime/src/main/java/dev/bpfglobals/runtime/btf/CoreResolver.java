package dev.bpfglobals.runtime.btf;

import java.util.ArrayList;
import java.util.List;

/**
 * Resolves one CO-RE relocation of an object against a kernel's BTF, as libbpf's
 * {@code bpf_core_calc_relo_insn} does: the local spec from the object's BTF, every candidate of the
 * same essential name and compatible kind in the kernel's, the value each matching candidate gives,
 * and a refusal when candidates disagree. No candidate is not an error: EXISTS kinds and type kinds
 * then give 0, the others a {@link Resolution#poison() poisoned} instruction.
 */
public final class CoreResolver {

    private CoreResolver() {
    }

    /**
     * What to patch into the instruction.
     *
     * @param local             the access in the object's BTF
     * @param target            the access in the kernel's BTF, {@code null} when no candidate has it
     * @param localValue        the value clang put in the instruction (for the check that it is there)
     * @param value             the kernel's value
     * @param poison            whether the instruction must be replaced by an invalid call (no target)
     * @param validate          whether the instruction must hold {@code localValue} (false for bitfields and type ids)
     * @param localSize         for a field's offset, the field's size in the object (the load's size), else 0
     * @param size              the same in the kernel
     * @param sizeChangeUnsafe  whether a load of the field at its new size would read another value
     *                          (sizes differ, and it is neither two pointers nor two unsigned integers)
     * @param candidates        how many kernel types have the root's name and a compatible kind (0 for a local type id)
     */
    public record Resolution(CoreSpec local, CoreSpec target, long localValue, long value, boolean poison, boolean validate,
            int localSize, int size, boolean sizeChangeUnsafe, int candidates) {

        Resolution withCandidates(int count) {
            return new Resolution(local, target, localValue, value, poison, validate, localSize, size, sizeChangeUnsafe, count);
        }
    }

    /**
     * Resolves relocation {@code kind} of {@code access} of type {@code localTypeId} of the object's
     * {@code localBtf} against {@code kernel}.
     *
     * @throws IllegalArgumentException naming the problem, when the relocation is malformed, its
     *                                  root type is anonymous, or candidates give different values
     */
    public static Resolution resolve(Btf localBtf, int localTypeId, String access, CoreKind kind, KernelBtf kernel) {
        return resolve(localBtf, localTypeId, access, kind, kernel, List::of);
    }

    /**
     * The same, searching {@code modules} (each a module's split BTF on top of {@code kernel}) where
     * {@code kernel} has no candidate, as libbpf's {@code bpf_core_find_cands} does: module types are
     * candidates only if vmlinux has none of that name and a compatible kind, and then every module's
     * count, so two modules' copies of one struct must agree. {@code modules} is asked for only then.
     *
     * @throws IllegalArgumentException as {@link #resolve(Btf, int, String, CoreKind, KernelBtf)}
     */
    public static Resolution resolve(Btf localBtf, int localTypeId, String access, CoreKind kind, KernelBtf kernel,
                                     java.util.function.Supplier<List<KernelBtf>> modules) {
        try {
            return resolveChecked(localBtf, localTypeId, access, kind, kernel, modules);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("access '" + access + "' of type " + localTypeId + " reaches past 2^63 bits");
        }
    }

    /** The candidates of one relocation so far, gathered across vmlinux and modules. */
    private static final class Candidates {
        Resolution chosen;
        final List<String> agreeing = new ArrayList<>();
        int count;
    }

    private static Resolution resolveChecked(Btf localBtf, int localTypeId, String access, CoreKind kind, KernelBtf kernel,
                                             java.util.function.Supplier<List<KernelBtf>> modules) {
        CoreSpec local = CoreSpec.parse(localBtf, localTypeId, access, kind);
        if (kind == CoreKind.TYPE_ID_LOCAL) {
            return new Resolution(local, local, localTypeId, localTypeId, false, false, 0, 0, false, 0);
        }
        BtfType root = localBtf.type(localTypeId);
        if (root.name().isEmpty()) {
            throw new IllegalArgumentException("the relocation's root " + Btf.describe(root, localTypeId)
                    + " is anonymous, and CO-RE finds kernel types by name");
        }
        Candidates found = new Candidates();
        search(local, root, kernel, found);
        if (found.count == 0) {
            for (KernelBtf module : modules.get()) {
                search(local, root, module, found);
            }
        }
        return (found.chosen != null ? found.chosen : calculate(local, null)).withCandidates(found.count);
    }

    /** Adds {@code kernel}'s candidates for {@code local} to {@code found}, refusing disagreement. */
    private static void search(CoreSpec local, BtfType root, KernelBtf kernel, Candidates found) {
        Btf kernelTypes = kernel.btf();
        String labelPrefix = kernel.isModule() ? kernel.module() + " " : "";
        for (int candidate : kernel.candidates(KernelBtf.essentialName(root.name()))) {
            if (!CoreCompat.kindsCompatible(root.kind(), kernelTypes.type(candidate).kind())) {
                continue;
            }
            found.count++;
            CoreSpec target = local.match(kernelTypes, candidate);
            if (target == null) {
                continue;
            }
            Resolution result = calculate(local, target);
            Resolution chosen = found.chosen;
            if (chosen == null) {
                found.chosen = result;
            } else if (target.bitOffset() != chosen.target().bitOffset()) {
                throw new IllegalArgumentException("ambiguous: kernel types " + found.agreeing + " and " + labelPrefix + candidate
                        + " both match " + local.describe() + ", at bit offsets " + chosen.target().bitOffset() + " and "
                        + target.bitOffset());
            } else if (result.poison() != chosen.poison() || result.value() != chosen.value()) {
                throw new IllegalArgumentException("ambiguous: kernel types " + found.agreeing + " and " + labelPrefix + candidate
                        + " both match " + local.describe() + ", giving " + chosen.value() + " and " + result.value());
            }
            found.agreeing.add(labelPrefix + candidate);
        }
    }

    /** libbpf's {@code bpf_core_calc_relo}: the local and target values, {@code target} null for none. */
    static Resolution calculate(CoreSpec local, CoreSpec target) {
        CoreKind kind = local.kind();
        if (kind.isField()) {
            FieldValue before = field(kind, local);
            FieldValue after = field(kind, target);
            if (after == null) {
                return new Resolution(local, null, before.value, 0, true, before.validate, before.size, 0, false, 0);
            }
            boolean unsafe = false;
            if (before.size != after.size) {
                BtfType l = local.btf().type(before.typeId);
                BtfType t = target.btf().type(after.typeId);
                boolean pointers = l instanceof BtfType.Ptr && t instanceof BtfType.Ptr;
                boolean unsigned = l instanceof BtfType.Int li && !li.signed() && t instanceof BtfType.Int ti && !ti.signed();
                unsafe = !pointers && !unsigned;
            }
            return new Resolution(local, target, before.value, after.value, false, before.validate, before.size, after.size, unsafe, 0);
        }
        if (kind.isType()) {
            return new Resolution(local, target, typeValue(local), typeValue(target), false,
                    kind != CoreKind.TYPE_ID_TARGET, 0, 0, false, 0);
        }
        long localValue = enumValue(local);
        if (target == null && kind == CoreKind.ENUMVAL_VALUE) {
            return new Resolution(local, null, localValue, 0, true, true, 0, 0, false, 0);
        }
        return new Resolution(local, target, localValue, target == null ? 0 : enumValue(target), false, true, 0, 0, false, 0);
    }

    private record FieldValue(long value, int size, int typeId, boolean validate) {
    }

    /** libbpf's {@code bpf_core_calc_field_relo}; null for a missing field of a kind that needs one. */
    private static FieldValue field(CoreKind kind, CoreSpec spec) {
        if (kind == CoreKind.FIELD_EXISTS) {
            return new FieldValue(spec == null ? 0 : 1, 0, 0, true);
        }
        if (spec == null) {
            return null;
        }
        CoreSpec.Accessor last = spec.accessors().get(spec.accessors().size() - 1);
        Btf btf = spec.btf();
        if (last.isArrayIndex()) {
            long size = btf.sizeOf(last.typeId());
            return switch (kind) {
                case FIELD_BYTE_OFFSET -> new FieldValue(spec.bitOffset() / 8, (int) size, last.typeId(), true);
                case FIELD_BYTE_SIZE -> new FieldValue(size, 0, 0, true);
                default -> throw new IllegalArgumentException("a " + kind + " relocation cannot be applied to an array element ("
                        + spec.describe() + ")");
            };
        }
        BtfType.Member member = CoreSpec.members(btf.type(last.typeId())).get(last.index());
        int fieldTypeId = btf.resolve(member.type());
        BtfType fieldType = btf.type(fieldTypeId);
        long bitOffset = spec.bitOffset();
        int bitSize = member.bitfieldSize();
        boolean bitfield = bitSize > 0;
        long byteSize;
        long byteOffset;
        if (bitfield) {
            byteSize = btf.sizeOf(fieldTypeId);
            if (byteSize <= 0) {
                throw new IllegalArgumentException("bitfield " + spec.describe() + " has a type of size " + byteSize);
            }
            byteOffset = bitOffset / 8 / byteSize * byteSize;
            while (bitOffset + bitSize - byteOffset * 8 > byteSize * 8) {
                if (byteSize >= 8) {
                    throw new IllegalArgumentException("bitfield " + spec.describe() + " cannot be read with one 64-bit load");
                }
                byteSize *= 2;
                byteOffset = bitOffset / 8 / byteSize * byteSize;
            }
        } else {
            byteSize = btf.sizeOf(fieldTypeId);
            byteOffset = bitOffset / 8;
            bitSize = (int) (byteSize * 8);
        }
        return switch (kind) {
            case FIELD_BYTE_OFFSET -> new FieldValue(byteOffset, bitfield ? 0 : (int) byteSize, bitfield ? 0 : fieldTypeId, !bitfield);
            case FIELD_BYTE_SIZE -> new FieldValue(byteSize, 0, 0, !bitfield);
            case FIELD_SIGNED -> new FieldValue(isSigned(fieldType) ? 1 : 0, 0, 0, true);
            // Little-endian, as this loader loads only native-order objects on little-endian kernels.
            case FIELD_LSHIFT_U64 -> new FieldValue(64 - (bitOffset + bitSize - byteOffset * 8), 0, 0, !bitfield);
            case FIELD_RSHIFT_U64 -> new FieldValue(64 - bitSize, 0, 0, true);
            default -> throw new IllegalStateException(kind + " is not a field kind");
        };
    }

    private static boolean isSigned(BtfType type) {
        return switch (type) {
            case BtfType.Int i -> i.signed();
            case BtfType.Enum e -> e.signed();
            case BtfType.Enum64 e -> e.signed();
            default -> false;
        };
    }

    /** libbpf's {@code bpf_core_calc_type_relo}: a missing type gives 0 for every type kind. */
    private static long typeValue(CoreSpec spec) {
        if (spec == null) {
            return 0;
        }
        return switch (spec.kind()) {
            case TYPE_ID_TARGET -> spec.rootId();
            case TYPE_EXISTS, TYPE_MATCHES -> 1;
            case TYPE_SIZE -> spec.btf().sizeOf(spec.rootId());
            default -> throw new IllegalStateException(spec.kind() + " is not a type kind");
        };
    }

    /** libbpf's {@code bpf_core_calc_enumval_relo} for a spec that exists. */
    private static long enumValue(CoreSpec spec) {
        if (spec.kind() == CoreKind.ENUMVAL_EXISTS) {
            return 1;
        }
        CoreSpec.Accessor enumerator = spec.accessors().get(0);
        // libbpf sign-extends every 32-bit value; an unsigned enum's is zero-extended here, as its C value is.
        // Only a value of 2^31 or more loaded as a 64-bit immediate differs.
        return switch (spec.btf().type(enumerator.typeId())) {
            case BtfType.Enum e -> e.signed() ? e.values().get(enumerator.index()).value()
                    : Integer.toUnsignedLong(e.values().get(enumerator.index()).value());
            case BtfType.Enum64 e -> e.values().get(enumerator.index()).value();
            default -> throw new IllegalStateException(enumerator + " is not an enumerator");
        };
    }
}
