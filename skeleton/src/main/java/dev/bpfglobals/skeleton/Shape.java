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
}
