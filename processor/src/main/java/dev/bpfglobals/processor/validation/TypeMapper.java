package dev.bpfglobals.processor.validation;

import com.palantir.javapoet.ClassName;
import dev.bpfglobals.annotations.BpfStruct;
import dev.bpfglobals.annotations.Length;
import dev.bpfglobals.annotations.Unsigned;
import dev.bpfglobals.processor.layout.CType;
import dev.bpfglobals.processor.layout.ScalarKind;
import dev.bpfglobals.processor.model.CNames;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.RecordComponentElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;

/**
 * Maps the Java type of a record component (and of nested records' components) to its C type,
 * reporting every unsupported construct on the component that uses it.
 */
final class TypeMapper {

    private final ValidationReport.Builder reporter;
    /**
     * The C prefix of the record being mapped, which its nested struct and enum tags start with:
     * the outermost record's, or a nested {@code @BpfStruct}'s own tag inside it, so that its
     * types are the same wherever it is used.
     */
    private String prefix;
    /** Records being mapped, outermost first, to detect a record that contains itself. */
    private final Deque<String> recordsInProgress = new ArrayDeque<>();
    private final Map<String, ClassName> javaClasses = new LinkedHashMap<>();

    TypeMapper(ValidationReport.Builder reporter, String prefix) {
        this.reporter = reporter;
        this.prefix = prefix;
    }

    /** Every nested record and enum met so far, by qualified name. */
    Map<String, ClassName> javaClasses() {
        return javaClasses;
    }

    /** Marks {@code record} as being mapped, so that a component of its own type is reported. */
    void enter(TypeElement record) {
        recordsInProgress.push(record.getQualifiedName().toString());
    }

    void exit() {
        recordsInProgress.pop();
    }

    /** The C type of {@code component}, or empty after reporting why it has none. */
    Optional<CType> map(RecordComponentElement component) {
        String name = component.getSimpleName().toString();
        TypeMirror type = component.asType();
        boolean unsigned = component.getAnnotation(Unsigned.class) != null;
        Length length = component.getAnnotation(Length.class);
        if (type.getKind() == TypeKind.ARRAY) {
            return mapArray(component, name, (ArrayType) type, unsigned, length);
        }
        if (length != null) {
            reporter.report(Diagnostic.LENGTH_ON_NON_ARRAY, component, name, type);
            return Optional.empty();
        }
        return mapElement(component, name, type, unsigned);
    }

    private Optional<CType> mapArray(Element at, String name, ArrayType type, boolean unsigned, Length length) {
        if (length == null) {
            reporter.report(Diagnostic.MISSING_LENGTH, at, name);
            return Optional.empty();
        }
        if (length.value() < 1) {
            reporter.report(Diagnostic.BAD_LENGTH, at, name, length.value());
            return Optional.empty();
        }
        if (type.getComponentType().getKind() == TypeKind.ARRAY) {
            reporter.report(Diagnostic.NESTED_ARRAY, at, name);
            return Optional.empty();
        }
        return mapElement(at, name, type.getComponentType(), unsigned)
                .map(element -> new CType.Array(element, length.value()));
    }

    private Optional<CType> mapElement(Element at, String name, TypeMirror type, boolean unsigned) {
        TypeKind kind = type.getKind();
        if (kind == TypeKind.FLOAT || kind == TypeKind.DOUBLE) {
            reporter.report(Diagnostic.FLOATING_POINT, at, name, type);
            return Optional.empty();
        }
        if (unsigned && scalar(kind, false).filter(ScalarKind::integral).isEmpty()) {
            reporter.report(Diagnostic.UNSIGNED_ON_NON_INTEGRAL, at, name, type);
            return Optional.empty();
        }
        Optional<ScalarKind> scalar = scalar(kind, unsigned);
        if (scalar.isPresent()) {
            return scalar.map(CType.Scalar::new);
        }
        if (kind == TypeKind.DECLARED) {
            TypeElement declared = (TypeElement) ((DeclaredType) type).asElement();
            if (declared.getKind() == ElementKind.ENUM) {
                return Optional.of(mapEnum(declared));
            }
            if (declared.getKind() == ElementKind.RECORD) {
                return mapRecord(at, name, declared);
            }
        }
        reporter.report(Diagnostic.UNSUPPORTED_TYPE, at, name, type);
        return Optional.empty();
    }

    /** The C scalar of a Java primitive ({@code unsigned} only for the integral ones), or empty for other types. */
    private static Optional<ScalarKind> scalar(TypeKind kind, boolean unsigned) {
        return Optional.ofNullable(switch (kind) {
            case BYTE -> unsigned ? ScalarKind.U8 : ScalarKind.S8;
            case SHORT -> unsigned ? ScalarKind.U16 : ScalarKind.S16;
            case INT -> unsigned ? ScalarKind.U32 : ScalarKind.S32;
            case LONG -> unsigned ? ScalarKind.U64 : ScalarKind.S64;
            case BOOLEAN -> ScalarKind.BOOL;
            case CHAR -> ScalarKind.CHAR;
            default -> null;
        });
    }

    private CType mapEnum(TypeElement declared) {
        List<String> constants = declared.getEnclosedElements().stream()
                .filter(e -> e.getKind() == ElementKind.ENUM_CONSTANT)
                .map(e -> e.getSimpleName().toString())
                .toList();
        String qualified = declared.getQualifiedName().toString();
        javaClasses.put(qualified, ClassName.get(declared));
        return new CType.Enum(CNames.typeTag(prefix, declared.getSimpleName().toString()), qualified, constants);
    }

    private Optional<CType> mapRecord(Element at, String name, TypeElement declared) {
        String qualified = declared.getQualifiedName().toString();
        if (recordsInProgress.contains(qualified)) {
            reporter.report(Diagnostic.RECURSIVE_RECORD, at, name, qualified);
            return Optional.empty();
        }
        if (declared.getRecordComponents().isEmpty()) {
            reporter.report(Diagnostic.EMPTY_SECTION, at, qualified);
            return Optional.empty();
        }
        BpfStruct shared = declared.getAnnotation(BpfStruct.class);
        String tag = shared != null ? CNames.structTag(shared.value(), declared.getSimpleName().toString())
                : CNames.typeTag(prefix, declared.getSimpleName().toString());
        String outerPrefix = prefix;
        if (shared != null) {
            prefix = tag;
        }
        enter(declared);
        try {
            List<CType.Field> fields = new ArrayList<>();
            boolean complete = true;
            for (RecordComponentElement member : declared.getRecordComponents()) {
                String memberName = member.getSimpleName().toString();
                if (CNames.KEYWORDS.contains(memberName)) {
                    reporter.report(Diagnostic.C_KEYWORD, member, memberName);
                    complete = false;
                    continue;
                }
                Optional<CType> memberType = map(member);
                memberType.ifPresent(t -> fields.add(new CType.Field(memberName, t)));
                complete &= memberType.isPresent();
            }
            javaClasses.put(qualified, ClassName.get(declared));
            return complete ? Optional.of(new CType.Struct(tag, qualified, fields, shared != null)) : Optional.empty();
        } finally {
            exit();
            prefix = outerPrefix;
        }
    }
}
