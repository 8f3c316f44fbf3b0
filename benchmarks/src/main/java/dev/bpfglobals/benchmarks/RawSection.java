package dev.bpfglobals.benchmarks;

import dev.bpfglobals.runtime.SectionCodec;
import dev.bpfglobals.runtime.contract.SectionContract;
import dev.bpfglobals.runtime.contract.VariableContract;
import dev.bpfglobals.runtime.kernel.MapType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * A section of {@code size} bytes whose first 8 bytes are a counter: the shape the benchmarks read
 * at 8 B, 64 B, 1 KiB and 32 KiB, as a generated codec would.
 */
record RawSection(long counter, byte[] rest) {

    static SectionCodec<RawSection> codec(int size) {
        SectionContract section = new SectionContract(".percpu", MapType.PERCPU_ARRAY, 4, size, 1, 8,
                size == 8 ? List.of(new VariableContract("counter", "__u64", 0, 8, 8))
                        : List.of(new VariableContract("counter", "__u64", 0, 8, 8),
                                new VariableContract("rest", "__u8[" + (size - 8) + "]", 8, size - 8, 1)));
        return new SectionCodec<>() {
            @Override
            public Class<RawSection> recordType() {
                return RawSection.class;
            }

            @Override
            public SectionContract section() {
                return section;
            }

            @Override
            public RawSection decode(MemorySegment src) {
                return new RawSection(src.get(ValueLayout.JAVA_LONG_UNALIGNED, 0),
                        src.asSlice(8, size - 8).toArray(ValueLayout.JAVA_BYTE));
            }

            @Override
            public void encode(RawSection value, MemorySegment dst) {
                dst.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, value.counter());
                MemorySegment.copy(value.rest(), 0, dst, ValueLayout.JAVA_BYTE, 8, size - 8);
            }

            @Override
            public RawSection sum(MemorySegment slots, long stride, int count) {
                long counter = 0;
                for (int c = 0; c < count; c++) {
                    counter += slots.get(ValueLayout.JAVA_LONG_UNALIGNED, c * stride);
                }
                return new RawSection(counter, new byte[size - 8]);
            }
        };
    }
}
