package dev.bpfglobals.runtime.attach;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * The arguments of one USDT probe site, as {@code usdt.bpf.h} reads them from map
 * {@code __bpf_usdt_specs}: one {@code struct __bpf_usdt_spec} per spec id.
 *
 * <pre>{@code
 * struct __bpf_usdt_arg_spec { __u64 val_off; enum __bpf_usdt_arg_type arg_type; short reg_off;
 *                              bool arg_signed; char arg_bitshift; };          // 16 bytes
 * struct __bpf_usdt_spec { struct __bpf_usdt_arg_spec args[12]; __u64 usdt_cookie; short arg_cnt; };  // 208
 * }</pre>
 *
 * @param arguments the arguments, at most {@link #MAX_ARGUMENTS}
 * @param cookie    what {@code bpf_usdt_cookie()} answers
 */
record UsdtSpec(List<UsdtArgument> arguments, long cookie) {

    /** {@code BPF_USDT_MAX_ARG_CNT}. */
    static final int MAX_ARGUMENTS = 12;
    /** {@code sizeof(struct __bpf_usdt_spec)}. */
    static final int SIZE = 208;
    private static final int ARGUMENT_SIZE = 16;

    UsdtSpec {
        arguments = List.copyOf(arguments);
    }

    /**
     * The spec of probe {@code probe} whose argument specs are {@code specs} (space-separated, as the
     * note holds them; empty for none).
     *
     * @throws IllegalArgumentException naming the probe and the argument at fault
     */
    static UsdtSpec parse(String probe, String specs, long cookie) {
        List<UsdtArgument> arguments = new ArrayList<>();
        String rest = specs.strip();
        if (!rest.isEmpty()) {
            for (String spec : rest.split("\\s+")) {
                if (arguments.size() == MAX_ARGUMENTS) {
                    throw new IllegalArgumentException("USDT probe " + probe + " has more than " + MAX_ARGUMENTS
                            + " arguments ('" + specs + "'), the most usdt.bpf.h reads (BPF_USDT_MAX_ARG_CNT)");
                }
                arguments.add(UsdtArgument.parse(probe, arguments.size(), spec));
            }
        }
        return new UsdtSpec(arguments, cookie);
    }

    /** The spec as {@code struct __bpf_usdt_spec}, in the host's byte order. */
    byte[] bytes() {
        MemorySegment spec = MemorySegment.ofArray(new byte[SIZE]);
        for (int i = 0; i < arguments.size(); i++) {
            UsdtArgument argument = arguments.get(i);
            long at = (long) i * ARGUMENT_SIZE;
            spec.set(ValueLayout.JAVA_LONG_UNALIGNED, at, argument.valueOffset());
            spec.set(ValueLayout.JAVA_INT_UNALIGNED, at + 8, argument.kind().ordinal());
            spec.set(ValueLayout.JAVA_SHORT_UNALIGNED, at + 12, argument.registerOffset());
            spec.set(ValueLayout.JAVA_BYTE, at + 14, (byte) (argument.signed() ? 1 : 0));
            spec.set(ValueLayout.JAVA_BYTE, at + 15, argument.bitShift());
        }
        spec.set(ValueLayout.JAVA_LONG_UNALIGNED, (long) MAX_ARGUMENTS * ARGUMENT_SIZE, cookie);
        spec.set(ValueLayout.JAVA_SHORT_UNALIGNED, (long) MAX_ARGUMENTS * ARGUMENT_SIZE + 8, (short) arguments.size());
        return spec.toArray(ValueLayout.JAVA_BYTE);
    }
}
