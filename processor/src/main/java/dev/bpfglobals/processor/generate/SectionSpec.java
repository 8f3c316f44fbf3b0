package dev.bpfglobals.processor.generate;

import static dev.bpfglobals.processor.generate.JavaAccessorGenerator.CODEC;
import static dev.bpfglobals.processor.generate.JavaAccessorGenerator.GLOBALS;
import static dev.bpfglobals.processor.generate.JavaAccessorGenerator.MAP;
import static dev.bpfglobals.processor.generate.JavaAccessorGenerator.MAP_TYPE;
import static dev.bpfglobals.processor.generate.JavaAccessorGenerator.SECTION_CONTRACT;
import static dev.bpfglobals.processor.generate.JavaAccessorGenerator.SEGMENT;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.bpfglobals.annotations.Length;
import dev.bpfglobals.annotations.Unsigned;
import dev.bpfglobals.contract.SectionContract;
import dev.bpfglobals.processor.layout.CType;
import dev.bpfglobals.processor.layout.SectionLayout;
import dev.bpfglobals.processor.model.CNames;
import dev.bpfglobals.processor.model.GlobalsComponent;
import dev.bpfglobals.processor.model.GlobalsRecord;
import dev.bpfglobals.processor.model.JavaNames;
import dev.bpfglobals.processor.model.Section;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * The generated members of one section: constants, layout, part record, codec and (for
 * {@code .percpu}) the per-CPU field accessors and {@code bind}, (for the other sections)
 * {@code bindData}, {@code bindBss} or {@code bindRodata} and its typed view, and an image encoder
 * ({@code rodataImage}) for setting the section before load. Every section has its own part
 * record ({@code PerCpuPart}, {@code DataPart}, ...) and its own method names ({@code decodePerCpu},
 * {@code encodeData}, {@code bindBss}), even when the annotated record lives in one section: so that adding a
 * component to one section changes nothing a caller of the other section's API compiled against.
 */
record SectionSpec(GlobalsRecord model, Section section, SectionLayout layout, SectionContract contract,
        TypeName record, ClassName self) {

    private static final ClassName UNSIGNED = ClassName.get(Unsigned.class);
    private static final ClassName LENGTH = ClassName.get(Length.class);

    /** The members of {@code section} of {@code model}, whose part of the contract is {@code contract}. */
    static SectionSpec of(GlobalsRecord model, Section section, SectionContract contract, ClassName self) {
        return new SectionSpec(model, section, model.layout(section), contract, self.nestedClass(section.partRecord()), self);
    }

    /** Everything but the constants: layout, codec, decode/encode and bind with the readers or the view. */
    void addTo(TypeSpec.Builder type, CodecCode code) {
        type.addField(layoutField());
        type.addType(partRecord(code));
        String codecClass = section.codecClass();
        type.addField(FieldSpec.builder(ParameterizedTypeName.get(CODEC, record), section.constantPrefix(),
                        Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("Reads and writes the $L section as {@link $T}.\n", layout.name(), record)
                .initializer("new $L()", codecClass).build());
        type.addType(codecType(codecClass, code));
        String decode = section.method("decode");
        String encode = section.method("encode");
        type.addMethod(MethodSpec.methodBuilder(decode).addModifiers(Modifier.PUBLIC, Modifier.STATIC).returns(record)
                .addJavadoc("Decodes one copy of the $L section ($L bytes at the start of {@code src}).\n", layout.name(), layout.size())
                .addParameter(SEGMENT, "src").addStatement("return $L.decode(src)", section.constantPrefix()).build());
        type.addMethod(MethodSpec.methodBuilder(encode).addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .addJavadoc("Encodes {@code value} as the $L section, padding zeroed, into the start of {@code dst}.\n", layout.name())
                .addParameter(record, "value").addParameter(SEGMENT, "dst").addStatement("$L.encode(value, dst)", section.constantPrefix()).build());
        type.addMethod(imageMethod());
        if (section == Section.PERCPU) {
            PerCpuAccessors.addTo(type, this, code);
        } else {
            DataViewAccessors.addTo(type, this, code);
        }
    }

    /** The section's and its variables' constants, which {@code CONTRACT} then names. */
    void addConstants(TypeSpec.Builder type) {
        type.addField(constantField(TypeName.get(String.class), section.constant("SECTION"),
                CodeBlock.of("$S", contract.name()), "The ELF section name of these globals."));
        type.addField(constantField(MAP_TYPE, section.constant("MAP_TYPE"),
                CodeBlock.of("$T.$L", MAP_TYPE, contract.mapType().name()), "The map type libbpf makes of the section."));
        type.addField(constantField(TypeName.INT, section.constant("KEY_SIZE"),
                CodeBlock.of("$L", contract.keySize()), "Key size: the section is entry 0 of a 4-byte-keyed array."));
        type.addField(constantField(TypeName.INT, section.constant("VALUE_SIZE"),
                CodeBlock.of("$L", contract.valueSize()), "The section size in bytes, which is the map's value size (no tail padding)."));
        type.addField(constantField(TypeName.INT, section.constant("MAX_ENTRIES"),
                CodeBlock.of("$L", contract.maxEntries()), "The map holds one entry: the whole section."));
        type.addField(constantField(TypeName.INT, section.constant("ALIGNMENT"),
                CodeBlock.of("$L", contract.alignment()), "The section's alignment: its largest variable alignment."));
        for (CType.Placed v : layout.variables()) {
            String declaration = CNames.definition(v.type(), v.name(), section);
            type.addField(constantField(TypeName.LONG, JavaNames.offsetConstant(v.name()), CodeBlock.of("$LL", v.offset()),
                    "Offset of {@code " + declaration + "} in the section."));
            type.addField(constantField(TypeName.LONG, JavaNames.sizeConstant(v.name()), CodeBlock.of("$LL", v.type().size()),
                    "Size of {@code " + declaration + "} in bytes."));
        }
    }

    private static FieldSpec constantField(TypeName type, String name, CodeBlock value, String doc) {
        return FieldSpec.builder(type, name, Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("$L\n", doc).initializer(value).build();
    }

    /** The section as an FFM struct layout, padding explicit, member names the C names. */
    private FieldSpec layoutField() {
        List<CodeBlock> members = paddedMembers(layout.variables(), layout.size());
        return FieldSpec.builder(StructLayout.class, section.constant("LAYOUT"), Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("The $L section as a memory layout: C's alignment, explicit padding, no tail padding.\n", layout.name())
                .initializer("$T.structLayout(\n$>$>$L$<$<)", MemoryLayout.class, CodeBlock.join(members, ",\n"))
                .build();
    }

    static CodeBlock memoryLayout(CType type) {
        return switch (type) {
            case CType.Scalar s -> CodeBlock.of("$T.$L", ValueLayout.class, s.kind().valueLayout());
            case CType.Enum e -> CodeBlock.of("$T.JAVA_INT", ValueLayout.class);
            case CType.Array a -> CodeBlock.of("$T.sequenceLayout($L, $L)", MemoryLayout.class, a.length(), memoryLayout(a.element()));
            case CType.Struct s -> CodeBlock.of("$T.structLayout($L).withName($S)", MemoryLayout.class,
                    CodeBlock.join(paddedMembers(s.placed(), s.size()), ", "), s.tag());
        };
    }

    /**
     * Member layouts with explicit padding before each member that needs it and up to {@code size}
     * at the end (C tail padding for structs; none for a section, whose size is its last byte).
     */
    private static List<CodeBlock> paddedMembers(List<CType.Placed> placed, int size) {
        List<CodeBlock> members = new ArrayList<>();
        int offset = 0;
        for (CType.Placed p : placed) {
            if (p.offset() > offset) {
                members.add(CodeBlock.of("$T.paddingLayout($L)", MemoryLayout.class, p.offset() - offset));
            }
            members.add(CodeBlock.of("$L.withName($S)", memoryLayout(p.type()), p.name()));
            offset = p.end();
        }
        if (size > offset) {
            members.add(CodeBlock.of("$T.paddingLayout($L)", MemoryLayout.class, size - offset));
        }
        return members;
    }

    private TypeSpec partRecord(CodecCode code) {
        MethodSpec.Builder constructor = MethodSpec.constructorBuilder();
        for (GlobalsComponent component : model.components(section)) {
            // @Unsigned and @Length say how to read the Java value; the part keeps them from the record.
            List<AnnotationSpec> meaning = component.element().getAnnotationMirrors().stream()
                    .map(AnnotationSpec::get)
                    .filter(a -> a.type().equals(UNSIGNED) || a.type().equals(LENGTH))
                    .toList();
            constructor.addParameter(ParameterSpec.builder(code.javaType(component.type()), component.name())
                    .addAnnotations(meaning).build());
        }
        TypeSpec.Builder part = TypeSpec.recordBuilder((ClassName) record).addModifiers(Modifier.PUBLIC)
                .addJavadoc("The components of {@link $T} that live in $L$L.\n", model.className(), layout.name(),
                        model.mixed() ? "" : " (here all of them)")
                .addJavadoc("\n<p>Its own record even when it holds every component, so that this section's API\n"
                        + "keeps its types when the record gains a component in another section.\n")
                .recordConstructor(constructor.build());
        ArrayContentMethods.addTo(part, (ClassName) record, model.components(section));
        return part.build();
    }

    private TypeSpec codecType(String name, CodecCode code) {
        CodeBlock.Builder decode = CodeBlock.builder();
        CodeBlock.Builder encode = CodeBlock.builder().add(zeroPadding());
        CodeBlock.Builder sum = CodeBlock.builder();
        for (CType.Placed v : layout.variables()) {
            CodeBlock offset = CodeBlock.of("$LL", v.offset());
            decode.add(code.decode(v.type(), "v_" + v.name(), "src", offset, v.name()));
            encode.add(code.encode(v.type(), CodeBlock.of("value.$L()", v.name()), "dst", offset, v.name()));
            sum.add(code.sum(v.type(), "v_" + v.name(), "slots", offset, v.name()));
        }
        int sectionIndex = model.sections().indexOf(section);
        return TypeSpec.classBuilder(name).addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .addSuperinterface(ParameterizedTypeName.get(CODEC, record))
                .addMethod(MethodSpec.methodBuilder("recordType").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                        .returns(ParameterizedTypeName.get(ClassName.get(Class.class), record))
                        .addStatement("return $T.class", record).build())
                .addMethod(MethodSpec.methodBuilder("recordName").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                        .returns(String.class).addStatement("return CONTRACT.record()").build())
                .addMethod(MethodSpec.methodBuilder("section").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                        .returns(SECTION_CONTRACT).addStatement("return CONTRACT.sections().get($L)", sectionIndex).build())
                .addMethod(MethodSpec.methodBuilder("decode").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                        .returns(record).addParameter(SEGMENT, "src")
                        .addStatement("$T.checkFromIndexSize(0, $L, src.byteSize())", java.util.Objects.class, layout.size())
                        .addCode(decode.build())
                        .addCode(code.construct(record, layout.variables(), "result")).addStatement("return result").build())
                .addMethod(MethodSpec.methodBuilder("encode").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                        .addParameter(record, "value").addParameter(SEGMENT, "dst")
                        .addStatement("$T.requireNonNull(value, $S)", java.util.Objects.class, "value")
                        .addCode(encode.build()).build())
                .addMethod(MethodSpec.methodBuilder("sum").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                        .returns(record).addParameter(SEGMENT, "slots").addParameter(long.class, "stride").addParameter(int.class, "count")
                        .addCode(sum.build())
                        .addCode(code.construct(record, layout.variables(), "result")).addStatement("return result").build())
                .build();
    }

    /**
     * Statements zeroing the bytes of {@code dst} that no variable covers, so that padding never
     * carries old bytes. Where a variable is a struct (whose own padding is inside it), the whole
     * section: a slice is a new object the JIT does not always scalar-replace (40 B per write,
     * measured at 1 KiB and 32 KiB), and a buffer of exactly the section's size is zeroed without one.
     * Otherwise only the gaps, since zeroing bytes every variable then overwrites costs as much as
     * writing them again (a 32 KiB write spent a sixth of its time there, docs/benchmarks.md).
     */
    private CodeBlock zeroPadding() {
        boolean structs = layout.variables().stream().anyMatch(v -> v.type() instanceof CType.Struct
                || v.type() instanceof CType.Array a && a.element() instanceof CType.Struct);
        if (structs) {
            return CodeBlock.builder().addStatement("(dst.byteSize() == $L ? dst : dst.asSlice(0, $L)).fill((byte) 0)",
                    layout.size(), layout.size()).build();
        }
        CodeBlock.Builder zero = CodeBlock.builder();
        List<CType.Placed> byOffset = layout.variables().stream()
                .sorted(java.util.Comparator.comparingInt(CType.Placed::offset)).toList();
        int covered = 0;
        for (CType.Placed v : byOffset) {
            zero.add(zeroRange(covered, v.offset()));
            covered = Math.max(covered, v.offset() + v.type().size());
        }
        return zero.add(zeroRange(covered, layout.size())).build();
    }

    /** Zeroes bytes {@code from} up to {@code to} of {@code dst}, eight at a time, without a slice (see above). */
    private static CodeBlock zeroRange(int from, int to) {
        CodeBlock.Builder zero = CodeBlock.builder();
        int longsEnd = from + (to - from) / 8 * 8;
        if (longsEnd - from >= 16) {
            zero.beginControlFlow("for (long at = $LL; at < $LL; at += 8)", from, longsEnd)
                    .addStatement("dst.set($T.JAVA_LONG_UNALIGNED, at, 0L)", java.lang.foreign.ValueLayout.class)
                    .endControlFlow();
            from = longsEnd;
        }
        for (int i = from; i < to; i++) {
            zero.addStatement("dst.set($T.JAVA_BYTE, $LL, (byte) 0)", java.lang.foreign.ValueLayout.class, i);
        }
        return zero.build();
    }

    /**
     * {@code rodataImage(RodataPart)}: the section's initial bytes for {@code ObjectSpec.withGlobalImage},
     * the one way to set {@code .rodata} (frozen after load) and a way to start any section from values.
     */
    private MethodSpec imageMethod() {
        return MethodSpec.methodBuilder(section.imageMethod()).addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .returns(byte[].class).addParameter(record, "value")
                .addJavadoc("{@code value} as an initial image of the $L section ($L bytes, padding zeroed), for\n"
                        + "{@code ObjectSpec.withGlobalImage($L, image)} before load.\n", layout.name(), layout.size(),
                        section.constant("SECTION"))
                .addStatement("byte[] image = new byte[$L]", section.constant("VALUE_SIZE"))
                .addStatement("$L.encode(value, $T.ofArray(image))", section.constantPrefix(), SEGMENT)
                .addStatement("return image").build();
    }

    /** {@code bind(map)}: the runtime's binding with this section's codec. */
    MethodSpec bindMethod() {
        return MethodSpec.methodBuilder("bind").addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .returns(ParameterizedTypeName.get(GLOBALS, record)).addParameter(MAP, "map")
                .addJavadoc("Checks {@code map} against this record's .percpu contract and binds it for typed per-CPU access.\n")
                .addStatement("return $T.bind(map, $L)", GLOBALS, section.constantPrefix()).build();
    }
}
