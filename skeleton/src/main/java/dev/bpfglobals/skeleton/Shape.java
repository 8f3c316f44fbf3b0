package dev.bpfglobals.skeleton;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.TypeName;
import dev.bpfglobals.contract.ValueType;
import java.lang.foreign.ValueLayout;

/**
 * How one C type is held in Java: a primitive ({@link Scalar}) or a generated type with a codec
 * ({@link Coded}: a record for a struct or enum, a Java array for a C array). Each shape knows the
 * code that reads it from a segment, writes it to one, and adds two per-CPU copies of it.
 */
sealed interface Shape {

    ClassName VALUE_LAYOUT = ClassName.get(ValueLayout.class);

    /** {@return the Java type of a value} */
    TypeName type();

    /** {@return {@code sizeof} the C type} */
    long size();

    /** {@return the C type} */
    ValueType cType();

    /** Code reading a value at byte {@code offset} of segment {@code segment}. */
    CodeBlock read(CodeBlock segment, CodeBlock offset);

    /** A statement writing {@code value} at byte {@code offset} of {@code segment}. */
    CodeBlock write(CodeBlock segment, CodeBlock offset, CodeBlock value);

    /** Code adding two per-CPU copies, wrapping as C's unsigned arithmetic does. */
    CodeBlock add(CodeBlock x, CodeBlock y);

    /** A C scalar as a Java primitive: integers of 1 to 8 bytes, {@code _Bool}, floats, pointers (as addresses). */
    enum Kind {
        BYTE(TypeName.BYTE, "JAVA_BYTE"),
        SHORT(TypeName.SHORT, "JAVA_SHORT_UNALIGNED"),
        INT(TypeName.INT, "JAVA_INT_UNALIGNED"),
        LONG(TypeName.LONG, "JAVA_LONG_UNALIGNED"),
        FLOAT(TypeName.FLOAT, "JAVA_FLOAT_UNALIGNED"),
        DOUBLE(TypeName.DOUBLE, "JAVA_DOUBLE_UNALIGNED"),
        BOOLEAN(TypeName.BOOLEAN, "JAVA_BYTE");

        final TypeName type;
        final String layout;

        Kind(TypeName type, String layout) {
            this.type = type;
            this.layout = layout;
        }

        /** The integer kind of {@code size} bytes, or null for a width Java has no primitive of. */
        static Kind ofInteger(long size) {
            return switch ((int) size) {
                case 1 -> BYTE;
                case 2 -> SHORT;
                case 4 -> INT;
                case 8 -> LONG;
                default -> null;
            };
        }
    }

    /** A C scalar held as a Java primitive. */
    record Scalar(Kind kind, ValueType cType) implements Shape {
        @Override
        public TypeName type() {
            return kind.type;
        }

        @Override
        public long size() {
            return cType.size();
        }

        @Override
        public CodeBlock read(CodeBlock segment, CodeBlock offset) {
            return kind == Kind.BOOLEAN ? CodeBlock.of("$L.get($T.JAVA_BYTE, $L) != 0", segment, VALUE_LAYOUT, offset)
                    : CodeBlock.of("$L.get($T.$L, $L)", segment, VALUE_LAYOUT, kind.layout, offset);
        }

        @Override
        public CodeBlock write(CodeBlock segment, CodeBlock offset, CodeBlock value) {
            return kind == Kind.BOOLEAN ? CodeBlock.of("$L.set($T.JAVA_BYTE, $L, (byte) ($L ? 1 : 0))", segment, VALUE_LAYOUT, offset, value)
                    : CodeBlock.of("$L.set($T.$L, $L, $L)", segment, VALUE_LAYOUT, kind.layout, offset, value);
        }

        @Override
        public CodeBlock add(CodeBlock x, CodeBlock y) {
            if (cType instanceof ValueType.Pointer) {
                return x; // an address has no sum: keep the first CPU's
            }
            return switch (kind) {
                case BOOLEAN -> CodeBlock.of("$L || $L", x, y);
                case BYTE, SHORT -> CodeBlock.of("($T) ($L + $L)", kind.type, x, y);
                default -> CodeBlock.of("$L + $L", x, y);
            };
        }
    }

    /**
     * A generated type: {@code holder} is the record (struct, enum) or array codec class whose
     * {@code CODEC} constant reads and writes values of Java type {@code type}.
     */
    record Coded(TypeName type, ClassName holder, ValueType cType, boolean summable) implements Shape {
        @Override
        public long size() {
            return cType.size();
        }

        CodeBlock codec() {
            return CodeBlock.of("$T.CODEC", holder);
        }

        @Override
        public CodeBlock read(CodeBlock segment, CodeBlock offset) {
            return CodeBlock.of("$L.decode($L.asSlice($L, $LL))", codec(), segment, offset, size());
        }

        @Override
        public CodeBlock write(CodeBlock segment, CodeBlock offset, CodeBlock value) {
            return CodeBlock.of("$L.encode($L, $L.asSlice($L, $LL))", codec(), value, segment, offset, size());
        }

        @Override
        public CodeBlock add(CodeBlock x, CodeBlock y) {
            return summable ? CodeBlock.of("$L.add($L, $L)", codec(), x, y) : x;
        }
    }

    /**
     * A bitfield member, held as the Java primitive of its declared type: {@code bits} bits from bit
     * {@code shift} of the {@code bytes} bytes starting at the member's byte offset (little-endian,
     * as BTF numbers a bitfield's bits on the hosts Java runs BPF on). The record owning it gets the
     * {@link #helpers()} its code calls; a signed field is sign-extended, an unsigned one is not.
     */
    record Bits(Kind kind, ValueType cType, int shift, int bits, int bytes, boolean signed) implements Shape {
        @Override
        public TypeName type() {
            return kind.type;
        }

        @Override
        public long size() {
            return bytes;
        }

        /** The narrowing cast from {@code long} to the Java type, none for a {@code long} (javac's -Xlint warns of it). */
        private String narrow() {
            return kind == Kind.LONG ? "" : "(" + kind.type + ") ";
        }

        private String widen() {
            return kind == Kind.LONG ? "" : "(long) ";
        }

        private String mask() {
            return bits == 64 ? "-1L" : "0x" + Long.toHexString((1L << bits) - 1) + "L";
        }

        @Override
        public CodeBlock read(CodeBlock segment, CodeBlock offset) {
            CodeBlock raw = CodeBlock.of("loadBits($L, $L, $L)", segment, offset, bytes);
            if (kind == Kind.BOOLEAN) {
                return CodeBlock.of("(($L >>> $L) & $L) != 0", raw, shift, mask());
            }
            return signed ? CodeBlock.of("$L(($L << $L) >> $L)", narrow(), raw, 64 - shift - bits, 64 - bits)
                    : CodeBlock.of("$L(($L >>> $L) & $L)", narrow(), raw, shift, mask());
        }

        @Override
        public CodeBlock write(CodeBlock segment, CodeBlock offset, CodeBlock value) {
            CodeBlock asLong = kind == Kind.BOOLEAN ? CodeBlock.of("$L ? 1L : 0L", value) : CodeBlock.of("$L$L", widen(), value);
            return CodeBlock.of("storeBits($L, $L, $L, $L, $L, $L)", segment, offset, bytes, shift, bits, asLong);
        }

        @Override
        public CodeBlock add(CodeBlock x, CodeBlock y) {
            if (kind == Kind.BOOLEAN) {
                return CodeBlock.of("$L || $L", x, y);
            }
            return signed ? CodeBlock.of("$L($L($L + $L) << $L >> $L)", narrow(), widen(), x, y, 64 - bits, 64 - bits)
                    : CodeBlock.of("$L(($L + $L) & $L)", narrow(), x, y, mask());
        }

        /** The two private static methods a record with bitfields gets: load and store up to 8 bytes as one little-endian word. */
        static java.util.List<com.palantir.javapoet.MethodSpec> helpers() {
            ClassName segment = ClassName.get(java.lang.foreign.MemorySegment.class);
            var load = com.palantir.javapoet.MethodSpec.methodBuilder("loadBits")
                    .addModifiers(javax.lang.model.element.Modifier.PRIVATE, javax.lang.model.element.Modifier.STATIC)
                    .returns(TypeName.LONG).addParameter(segment, "s").addParameter(TypeName.LONG, "at").addParameter(TypeName.INT, "n")
                    .addStatement("long v = 0")
                    .beginControlFlow("for (int i = n - 1; i >= 0; i--)")
                    .addStatement("v = (v << 8) | (s.get($T.JAVA_BYTE, at + i) & 0xffL)", VALUE_LAYOUT)
                    .endControlFlow().addStatement("return v").build();
            var store = com.palantir.javapoet.MethodSpec.methodBuilder("storeBits")
                    .addModifiers(javax.lang.model.element.Modifier.PRIVATE, javax.lang.model.element.Modifier.STATIC)
                    .addParameter(segment, "s").addParameter(TypeName.LONG, "at").addParameter(TypeName.INT, "n")
                    .addParameter(TypeName.INT, "shift").addParameter(TypeName.INT, "bits").addParameter(TypeName.LONG, "value")
                    .addStatement("long mask = (bits == 64 ? -1L : (1L << bits) - 1) << shift")
                    .addStatement("long v = (loadBits(s, at, n) & ~mask) | ((value << shift) & mask)")
                    .beginControlFlow("for (int i = 0; i < n; i++)")
                    .addStatement("s.set($T.JAVA_BYTE, at + i, (byte) (v >>> (8 * i)))", VALUE_LAYOUT)
                    .endControlFlow().build();
            return java.util.List.of(load, store);
        }
    }
}
