package dev.bpfglobals.runtime;

import dev.bpfglobals.contract.MapType;
import dev.bpfglobals.contract.SectionContract;
import dev.bpfglobals.contract.VariableContract;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/** A hand-written codec for tests: the {@code .rodata} of {@code rodata_limit.bpf.c}, {@code const volatile __u32 loop_limit;}. */
record RodataLimit(int loopLimit) {

    static final SectionContract SECTION = new SectionContract(".rodata", MapType.ARRAY, 4, 4, 1, 4,
            List.of(new VariableContract("loop_limit", "__u32", 0, 4, 4)));

    static final SectionCodec<RodataLimit> CODEC = new SectionCodec<>() {
        @Override
        public Class<RodataLimit> recordType() {
            return RodataLimit.class;
        }

        @Override
        public SectionContract section() {
            return SECTION;
        }

        @Override
        public RodataLimit decode(MemorySegment src) {
            return new RodataLimit(src.get(ValueLayout.JAVA_INT_UNALIGNED, 0));
        }

        @Override
        public void encode(RodataLimit value, MemorySegment dst) {
            dst.set(ValueLayout.JAVA_INT_UNALIGNED, 0, value.loopLimit());
        }

        @Override
        public RodataLimit sum(MemorySegment slots, long stride, int count) {
            throw new UnsupportedOperationException(".rodata has one copy");
        }
    };
}
