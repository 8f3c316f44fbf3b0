package dev.bpfglobals.processor.layout;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.ValueLayout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Each scalar kind's facts agree with each other, with FFM and with the C type it names. */
class ScalarKindTest {

    private static ValueLayout constant(String name) throws ReflectiveOperationException {
        return (ValueLayout) ValueLayout.class.getField(name).get(null);
    }

    @ParameterizedTest
    @EnumSource(ScalarKind.class)
    void valueLayoutIsAnFfmConstantOfTheKindsSizeAndAlignment(ScalarKind kind) throws ReflectiveOperationException {
        ValueLayout layout = constant(kind.valueLayout());

        assertThat(layout.byteSize()).isEqualTo(kind.size());
        assertThat(layout.byteAlignment()).isEqualTo(kind.size());
        // _Bool is a byte in memory; the codec turns it into a boolean.
        assertThat(layout.carrier()).isEqualTo(kind == ScalarKind.BOOL ? byte.class : kind.javaType());
    }

    @ParameterizedTest
    @EnumSource(ScalarKind.class)
    void unalignedValueLayoutIsTheSameAccessWithAlignmentOne(ScalarKind kind) throws ReflectiveOperationException {
        ValueLayout unaligned = constant(kind.unalignedValueLayout());

        assertThat(unaligned.byteAlignment()).isEqualTo(1);
        assertThat(unaligned.withByteAlignment(kind.size())).isEqualTo(constant(kind.valueLayout()));
    }

    @ParameterizedTest
    @EnumSource(ScalarKind.class)
    void signednessIsTheCTypes(ScalarKind kind) {
        assertThat(kind.signed()).isEqualTo(kind.cName().startsWith("__s"));
    }

    @ParameterizedTest
    @EnumSource(ScalarKind.class)
    void onlyUnsignedIntegersInSignedJavaPrimitivesNeedAnUnsignedReading(ScalarKind kind) {
        boolean signedJavaInteger = kind.javaType() == byte.class || kind.javaType() == short.class
                || kind.javaType() == int.class || kind.javaType() == long.class;

        assertThat(kind.integral()).isEqualTo(signedJavaInteger);
        assertThat(kind.unsignedInSignedJava()).isEqualTo(signedJavaInteger && kind.cName().startsWith("__u"));
    }
}
