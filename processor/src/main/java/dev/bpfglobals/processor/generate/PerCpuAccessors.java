package dev.bpfglobals.processor.generate;

import static dev.bpfglobals.processor.generate.JavaAccessorGenerator.snapshotOf;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import dev.bpfglobals.processor.layout.CType;
import dev.bpfglobals.processor.model.CNames;
import dev.bpfglobals.processor.model.JavaNames;
import java.util.Objects;
import javax.lang.model.element.Modifier;

/**
 * Static per-field readers over a {@code PerCpuSnapshot}: they read straight from the snapshot's
 * buffer, so polling a counter on every CPU allocates nothing.
 */
final class PerCpuAccessors {

    private PerCpuAccessors() {
    }

    static void addTo(TypeSpec.Builder type, SectionSpec section, CodecCode code) {
        type.addMethod(section.bindMethod());
        for (CType.Placed v : section.layout().variables()) {
            String declaration = CNames.definition(v.type(), v.name(), section.section());
            CodeBlock base = CodeBlock.of("snapshot.slotOffset(cpu) + $L", JavaNames.offsetConstant(v.name()));
            MethodSpec.Builder reader = MethodSpec.methodBuilder(v.name())
                    .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                    .addParameter(snapshotOf(section.record()), "snapshot")
                    .addParameter(int.class, "cpu");
            if (v.type() instanceof CType.Array array) {
                reader.returns(code.javaType(array.element()))
                        .addJavadoc("Element {@code index} of {@code $L} on {@code cpu}.\n", declaration)
                        .addJavadoc("\n@throws IndexOutOfBoundsException unless {@code 0 <= index < $L}\n", array.length())
                        .addParameter(int.class, "index")
                        .addStatement("$T.checkIndex(index, $L)", Objects.class, array.length())
                        .addStatement("return $L", code.read(array.element(), "snapshot.segment()",
                                CodeBlock.of("$L + index * $LL", base, array.element().size()), v.name()));
            } else {
                reader.returns(code.javaType(v.type()))
                        .addJavadoc("{@code $L} on {@code cpu}$L.\n", declaration,
                                unsignedNote(v.type()))
                        .addStatement("return $L", code.read(v.type(), "snapshot.segment()", base, v.name()));
            }
            reader.addJavadoc("\n@throws IllegalArgumentException if {@code cpu} is not a possible CPU\n");
            type.addMethod(reader.build());
            if (v.type() instanceof CType.Scalar scalar && scalar.kind().integral()) {
                type.addMethod(MethodSpec.methodBuilder(v.name() + "Sum")
                        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                        .returns(code.javaType(v.type()))
                        .addParameter(snapshotOf(section.record()), "snapshot")
                        .addJavadoc("{@code $L} summed over all possible CPUs, wrapping as C arithmetic does.\n", declaration)
                        .addStatement("$T sum = 0", code.javaType(v.type()))
                        .beginControlFlow("for (int slot = 0; slot < snapshot.cpus().count(); slot++)")
                        .addStatement("sum += $L", code.read(v.type(), "snapshot.segment()",
                                CodeBlock.of("slot * snapshot.slotStride() + $L", JavaNames.offsetConstant(v.name())), v.name()))
                        .endControlFlow()
                        .addStatement("return sum")
                        .build());
            }
        }
    }

    static String unsignedNote(CType type) {
        return type instanceof CType.Scalar s && s.kind().unsignedInSignedJava()
                ? " (unsigned in C: the bits of the Java value; read with the {@code toUnsigned} methods)"
                : "";
    }
}
