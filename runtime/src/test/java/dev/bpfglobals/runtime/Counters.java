package dev.bpfglobals.runtime;

import dev.bpfglobals.runtime.contract.SectionContract;
import dev.bpfglobals.runtime.contract.VariableContract;
import dev.bpfglobals.runtime.kernel.MapType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/** A hand-written codec for tests: {@code __u64 packets; __u64 bytes; __u32 flags;} = 20 bytes. */
record Counters(long packets, long bytes, int flags) {

    static final SectionContract SECTION = new SectionContract(".percpu", MapType.PERCPU_ARRAY, 4, 20, 1, 8, List.of(
            new VariableContract("packets", "__u64", 0, 8, 8),
            new VariableContract("bytes", "__u64", 8, 8, 8),
            new VariableContract("flags", "__u32", 16, 4, 4)));

    static final SectionCodec<Counters> CODEC = new SectionCodec<>() {
        @Override
        public Class<Counters> recordType() {
            return Counters.class;
        }

        @Override
        public SectionContract section() {
            return SECTION;
        }

        @Override
        public Counters decode(MemorySegment src) {
            return new Counters(src.get(ValueLayout.JAVA_LONG_UNALIGNED, 0), src.get(ValueLayout.JAVA_LONG_UNALIGNED, 8),
                    src.get(ValueLayout.JAVA_INT_UNALIGNED, 16));
        }

        @Override
        public void encode(Counters value, MemorySegment dst) {
            dst.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, value.packets());
            dst.set(ValueLayout.JAVA_LONG_UNALIGNED, 8, value.bytes());
            dst.set(ValueLayout.JAVA_INT_UNALIGNED, 16, value.flags());
        }

        @Override
        public Counters sum(MemorySegment slots, long stride, int count) {
            long packets = 0;
            long bytes = 0;
            int flags = 0;
            for (int c = 0; c < count; c++) {
                Counters one = decode(slots.asSlice(c * stride));
                packets += one.packets();
                bytes += one.bytes();
                flags += one.flags();
            }
            return new Counters(packets, bytes, flags);
        }
    };

    MemorySegment image() {
        MemorySegment segment = MemorySegment.ofArray(new byte[20]);
        CODEC.encode(this, segment);
        return segment;
    }
}
