package dev.bpfglobals.processor.generate;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import dev.bpfglobals.processor.layout.CType;
import dev.bpfglobals.processor.model.GlobalsComponent;
import java.util.Arrays;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * {@code toString}, {@code equals} and {@code hashCode} for a generated part record with array
 * components, by the arrays' content: a record's own methods use array identity, so a summed
 * histogram would print as {@code hist=[J@36d4b5c} and two decodes of the same bytes would differ.
 * Content equality is what a decoded value means (it is the bytes of the section), so the
 * generated records compare that way; nested records the user wrote keep their own methods.
 */
final class ArrayContentMethods {

    private ArrayContentMethods() {
    }

    /** Adds the three methods to {@code record} if any of {@code components} is an array. */
    static void addTo(TypeSpec.Builder record, ClassName self, List<GlobalsComponent> components) {
        if (components.stream().noneMatch(c -> c.type() instanceof CType.Array)) {
            return;
        }
        CodeBlock.Builder shown = CodeBlock.builder();
        for (int i = 0; i < components.size(); i++) {
            GlobalsComponent c = components.get(i);
            String label = (i == 0 ? self.simpleName() + "[" : ", ") + c.name() + "=";
            if (c.type() instanceof CType.Array) {
                shown.add("$S + $T.toString($L) + ", label, Arrays.class, c.name());
            } else {
                shown.add("$S + $L + ", label, c.name());
            }
        }
        List<CodeBlock> equal = components.stream().map(c -> c.type() instanceof CType.Array
                ? CodeBlock.of("$T.equals($L, that.$L)", Arrays.class, c.name(), c.name())
                : c.javaType().getKind().isPrimitive() ? CodeBlock.of("$L == that.$L", c.name(), c.name())
                : CodeBlock.of("$T.equals($L, that.$L)", java.util.Objects.class, c.name(), c.name())).toList();
        List<CodeBlock> hashed = components.stream().map(c -> c.type() instanceof CType.Array
                ? CodeBlock.of("$T.hashCode($L)", Arrays.class, c.name())
                : CodeBlock.of("$T.hashCode($L)", java.util.Objects.class, c.name())).toList();
        record.addMethod(MethodSpec.methodBuilder("toString").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                        .returns(String.class).addJavadoc("Every component, arrays by their elements.\n")
                        .addStatement("return $L$S", shown.build(), "]")
                        .build())
                .addMethod(MethodSpec.methodBuilder("equals").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                        .returns(boolean.class).addParameter(Object.class, "other")
                        .addJavadoc("Equal when every component is, arrays by their elements.\n")
                        .addStatement("return other instanceof $T that && $L", self, CodeBlock.join(equal, "\n&& "))
                        .build())
                .addMethod(MethodSpec.methodBuilder("hashCode").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                        .returns(int.class).addJavadoc("Consistent with {@link #equals}: arrays hash by their elements.\n")
                        .addStatement("int hash = 0")
                        .addCode(CodeBlock.join(hashed.stream().map(h -> CodeBlock.of("hash = 31 * hash + $L;\n", h)).toList(), ""))
                        .addStatement("return hash")
                        .build());
    }
}
