package dev.bpfglobals.processor;

import java.util.List;

/**
 * Records covering every type and layout situation; the clang cross-check and the round trip run
 * over all of them.
 */
final class LayoutMatrix {

    /** One record: its binary name and source. */
    record Case(String binaryName, String source) {
        String simpleName() {
            return binaryName.substring(binaryName.lastIndexOf('.') + 1);
        }
    }

    private static Case of(String simpleName, String body) {
        return new Case("matrix." + simpleName, """
                package matrix;
                import dev.bpfglobals.annotations.*;
                """ + body);
    }

    static final List<Case> CASES = List.of(
            of("Scalars", """
                    @SuppressWarnings("bpfglobals.vmlinux")
                    public record Scalars(@PerCpu byte s8, @PerCpu @Unsigned byte u8, @PerCpu short s16,
                        @PerCpu @Unsigned short u16, @PerCpu int s32, @PerCpu @Unsigned int u32, @PerCpu long s64,
                        @PerCpu @Unsigned long u64, @PerCpu boolean flag, @PerCpu char unit) {}
                    """),
            of("Arrays", """
                    @SuppressWarnings("bpfglobals.padding")
                    public record Arrays(@PerCpu @Length(3) byte[] b3, @PerCpu @Unsigned @Length(5) short[] u5,
                        @PerCpu @Length(2) long[] l2, @PerCpu @Length(7) boolean[] f7, @PerCpu @Length(3) char[] c3,
                        @PerCpu @Length(2) Pair[] pairs, @PerCpu @Length(3) Color[] colors) {
                        public record Pair(int key, byte tag) {}
                        public enum Color { RED, GREEN, BLUE }
                    }
                    """),
            of("Nested", """
                    @SuppressWarnings("bpfglobals.padding")
                    public record Nested(@PerCpu byte first, @PerCpu Inner inner, @PerCpu short after, @PerCpu Outer outer) {
                        public record Inner(int a, byte b) {}
                        public record Outer(byte x, Inner in, @Unsigned long y, @Length(2) Inner[] more) {}
                    }
                    """),
            of("ContractExample", """
                    public record ContractExample(@PerCpu @Unsigned byte a, @PerCpu @Unsigned long b,
                        @PerCpu @Unsigned short c, @PerCpu D d, @PerCpu @Length(5) byte[] name, @PerCpu @Unsigned byte e) {
                        public record D(@Unsigned int x, @Unsigned byte y) {}
                    }
                    """),
            of("WorstPadding", """
                    @SuppressWarnings("bpfglobals.padding")
                    public record WorstPadding(@PerCpu byte a, @PerCpu long b, @PerCpu byte c, @PerCpu long d,
                        @PerCpu boolean e, @PerCpu long f) {}
                    """),
            of("SingleByte", """
                    public record SingleByte(@PerCpu byte only) {}
                    """),
            of("NearLimit", """
                    public record NearLimit(@PerCpu @Length(4095) long[] big, @PerCpu int tail, @PerCpu short end) {}
                    """),
            of("Enums", """
                    public record Enums(@PerCpu Proto proto, @PerCpu @Unsigned long count) {
                        public enum Proto { TCP, UDP, ICMP }
                    }
                    """),
            of("Mixed", """
                    public record Mixed(@PerCpu @Unsigned long packets, @Unsigned int limit, @PerCpu int drops,
                        @Length(4) byte[] tag) {}
                    """),
            of("AllSections", """
                    @SuppressWarnings("bpfglobals.padding")
                    public record AllSections(@PerCpu @Unsigned long packets, @Unsigned int limit,
                        @Bss byte seenFirst, @Rodata @Unsigned short mtu, @Bss @Unsigned long drops,
                        @Rodata Mode mode, @Bss @Length(3) Pair[] recent, @Rodata @Length(5) byte[] name,
                        @Rodata Pair origin, @Bss boolean armed) {
                        public record Pair(int key, byte tag) {}
                        public enum Mode { OFF, ON }
                    }
                    """),
            of("BssAndRodata", """
                    public record BssAndRodata(@Rodata @Unsigned int threshold, @Bss @Unsigned long hits,
                        @Rodata boolean verbose, @Bss @Length(4) int[] slots) {}
                    """));

    private LayoutMatrix() {
    }
}
