package dev.bpfglobals.processor.generate;

import static dev.bpfglobals.processor.generate.JavaAccessorGenerator.SEGMENT;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import dev.bpfglobals.processor.model.GlobalsComponent;
import dev.bpfglobals.processor.model.GlobalsRecord;
import dev.bpfglobals.processor.model.Section;
import java.util.List;
import java.util.Objects;
import javax.lang.model.element.Element;
import javax.lang.model.element.Modifier;

/**
 * For a record that spans {@code .percpu} and {@code .data}: encode and decode of the whole record
 * from the two sections' bytes, through the two part records.
 */
final class WholeRecordCodec {

    private WholeRecordCodec() {
    }

    static void addTo(TypeSpec.Builder type, GlobalsRecord model, ClassName self, CodecCode code) {
        ClassName perCpu = self.nestedClass(Section.PERCPU.partRecord());
        ClassName data = self.nestedClass(Section.DATA.partRecord());
        List<CodeBlock> arguments = model.element().getRecordComponents().stream()
                .map(Element::getSimpleName).map(Object::toString)
                .map(name -> CodeBlock.of("$L.$L()", isPerCpu(model, name) ? "p" : "d", name))
                .toList();
        type.addMethod(MethodSpec.methodBuilder("decode").addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .returns(model.className()).addParameter(SEGMENT, "percpu").addParameter(SEGMENT, "data")
                .addJavadoc("Decodes the whole record from one copy of .percpu and the .data section.\n")
                .addStatement("$T p = $L.decode(percpu)", perCpu, Section.PERCPU.constantPrefix())
                .addStatement("$T d = $L.decode(data)", data, Section.DATA.constantPrefix())
                .addStatement("return new $T($L)", model.className(), CodeBlock.join(arguments, ", "))
                .build());
        type.addMethod(MethodSpec.methodBuilder("encode").addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .addParameter(model.className(), "value").addParameter(SEGMENT, "percpu").addParameter(SEGMENT, "data")
                .addJavadoc("Encodes the whole record into a .percpu image and a .data image.\n")
                .addStatement("$T.requireNonNull(value, $S)", Objects.class, "value")
                .addStatement("$L.encode(new $T($L), percpu)", Section.PERCPU.constantPrefix(), perCpu, parts(model.percpu()))
                .addStatement("$L.encode(new $T($L), data)", Section.DATA.constantPrefix(), data, parts(model.data()))
                .build());
    }

    private static boolean isPerCpu(GlobalsRecord model, String name) {
        return model.percpu().stream().anyMatch(c -> c.name().equals(name));
    }

    private static CodeBlock parts(List<GlobalsComponent> components) {
        return CodeBlock.join(components.stream().map(c -> CodeBlock.of("value.$L()", c.name())).toList(), ", ");
    }
}
