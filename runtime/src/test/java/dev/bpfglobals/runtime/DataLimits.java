package dev.bpfglobals.runtime;

import dev.bpfglobals.contract.MapType;
import dev.bpfglobals.contract.SectionContract;
import dev.bpfglobals.contract.VariableContract;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * A hand-written codec for tests, as the processor would generate it for the {@code .data} of
 * {@code data_view.bpf.c}: {@code __u32 before; __u64 limit; __u32 after;} = 20 bytes, 4 of padding.
 * Its {@link SectionCodec#encode} zero-fills first, as the generated one does.
 */
record DataLimits(int before, long limit, int after) {

    static final SectionContract SECTION = section(8);

    static final SectionCodec<DataLimits> CODEC = codec(SECTION);

    /** The same variables with {@code limit} at {@code limitOffset}: a record that drifted from the C program. */
    static SectionContract section(int limitOffset) {
        return new SectionContract(".data", MapType.ARRAY, 4, 20, 1, 8, List.of(
                new VariableContract("before", "__u32", 0, 4, 4),
                new VariableContract("limit", "__u64", limitOffset, 8, 8),
                new VariableContract("after", "__u32", 16, 4, 4)));
    }

    static SectionCodec<DataLimits> codec(SectionContract section) {
        long limitOffset = section.variable("limit").orElseThrow().offset();
        return new SectionCodec<>() {
            @Override
            public Class<DataLimits> recordType() {
                return DataLimits.class;
            }

            @Override
            public SectionContract section() {
                return section;
            }

            @Override
            public DataLimits decode(MemorySegment src) {
                return new DataLimits(src.get(ValueLayout.JAVA_INT_UNALIGNED, 0), src.get(ValueLayout.JAVA_LONG_UNALIGNED, limitOffset),
                        src.get(ValueLayout.JAVA_INT_UNALIGNED, 16));
            }

            @Override
            public void encode(DataLimits value, MemorySegment dst) {
                dst.asSlice(0, 20).fill((byte) 0);
                dst.set(ValueLayout.JAVA_INT_UNALIGNED, 0, value.before());
                dst.set(ValueLayout.JAVA_LONG_UNALIGNED, limitOffset, value.limit());
                dst.set(ValueLayout.JAVA_INT_UNALIGNED, 16, value.after());
            }

            @Override
            public DataLimits sum(MemorySegment slots, long stride, int count) {
                throw new UnsupportedOperationException(".data has one copy");
            }
        };
    }
}
