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
import java.util.stream.Collectors;
import javax.lang.model.element.Modifier;

/**
 * For a record that spans several sections: encode and decode of the whole record from the
 * sections' bytes, one segment per section in contract order ({@code percpu}, {@code data},
 * {@code bss}, {@code rodata}, those present), through the part records.
 */
final class WholeRecordCodec {

    private WholeRecordCodec() {
    }

    static void addTo(TypeSpec.Builder type, GlobalsRecord model, ClassName self, CodecCode code) {
        List<Section> sections = model.sections();
        List<CodeBlock> arguments = model.components().stream()
                .map(c -> CodeBlock.of("$L.$L()", part(c.section()), c.name()))
                .toList();
        String names = sections.stream().map(Section::elfName).collect(Collectors.joining(", "));
        MethodSpec.Builder decode = MethodSpec.methodBuilder("decode").addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .returns(model.className())
                .addJavadoc("Decodes the whole record from one copy of each of its sections: $L.\n", names);
        MethodSpec.Builder encode = MethodSpec.methodBuilder("encode").addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .addParameter(model.className(), "value")
                .addJavadoc("Encodes the whole record into an image of each of its sections: $L.\n", names)
                .addStatement("$T.requireNonNull(value, $S)", Objects.class, "value");
        for (Section section : sections) {
            ClassName partType = self.nestedClass(section.partRecord());
            decode.addParameter(SEGMENT, section.cSuffix())
                    .addStatement("$T $L = $L.decode($L)", partType, part(section), section.constantPrefix(), section.cSuffix());
            encode.addParameter(SEGMENT, section.cSuffix())
                    .addStatement("$L.encode(new $T($L), $L)", section.constantPrefix(), partType,
                            parts(model.components(section)), section.cSuffix());
        }
        decode.addStatement("return new $T($L)", model.className(), CodeBlock.join(arguments, ", "));
        type.addMethod(decode.build());
        type.addMethod(encode.build());
    }

    /** The local holding a section's decoded part: {@code percpuPart}, {@code dataPart}, ... */
    private static String part(Section section) {
        return section.cSuffix() + "Part";
    }

    private static CodeBlock parts(List<GlobalsComponent> components) {
        return CodeBlock.join(components.stream().map(c -> CodeBlock.of("value.$L()", c.name())).toList(), ", ");
    }
}
