package dev.bpfglobals.runtime.testing;

import dev.bpfglobals.runtime.SectionCodec;
import dev.bpfglobals.runtime.contract.SectionContract;
import dev.bpfglobals.runtime.contract.VariableContract;
import dev.bpfglobals.runtime.kernel.MapType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/** The {@code .percpu} section of {@code compat_counter.bpf.c}, for tests that load that program. */
public final class CompatCounter {

    private CompatCounter() {
    }

    /** {@code __u64 hits; __u64 bytes;} as compat_counter.bpf.c lays them out. */
    public record Hits(long hits, long bytes) {
    }

    public static final SectionContract SECTION = new SectionContract(".percpu", MapType.PERCPU_ARRAY, 4, 16, 1, 8,
            List.of(new VariableContract("hits", "", 0, 8, 8), new VariableContract("bytes", "", 8, 8, 8)));

    public static final SectionCodec<Hits> CODEC = new SectionCodec<>() {
        @Override
        public Class<Hits> recordType() {
            return Hits.class;
        }

        @Override
        public SectionContract section() {
            return SECTION;
        }

        @Override
        public Hits decode(MemorySegment src) {
            return new Hits(src.get(ValueLayout.JAVA_LONG_UNALIGNED, 0), src.get(ValueLayout.JAVA_LONG_UNALIGNED, 8));
        }

        @Override
        public void encode(Hits value, MemorySegment dst) {
            dst.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, value.hits());
            dst.set(ValueLayout.JAVA_LONG_UNALIGNED, 8, value.bytes());
        }

        @Override
        public Hits sum(MemorySegment slots, long stride, int count) {
            long hits = 0;
            long bytes = 0;
            for (int c = 0; c < count; c++) {
                hits += slots.get(ValueLayout.JAVA_LONG_UNALIGNED, c * stride);
                bytes += slots.get(ValueLayout.JAVA_LONG_UNALIGNED, c * stride + 8);
            }
            return new Hits(hits, bytes);
        }
    };
}
