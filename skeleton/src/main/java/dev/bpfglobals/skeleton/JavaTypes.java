package dev.bpfglobals.skeleton;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.TypeSpec;
import dev.bpfglobals.contract.ValueType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Java shape of every C type a skeleton uses, and the records and codecs generated for them:
 * one record per struct, union and enum, named from BTF ({@code struct flow_key} is {@code FlowKey}),
 * an anonymous one by its place ({@code in} of {@code .rodata} is {@code In}, member {@code hdr} of
 * {@code struct pkt} is {@code PktHdr}), and one codec class per C array type. The same C type
 * gets one Java type wherever it is used.
 */
final class JavaTypes {

    private final ClassName skeleton;
    private final JavaNames typeNames;
    /** The object's byte order: its bitfields' bit offsets count from the other end on big-endian. */
    private final java.nio.ByteOrder order;
    private final Map<ValueType, Shape> shapes = new HashMap<>();
    private final List<TypeSpec> generated = new ArrayList<>();

    JavaTypes(ClassName skeleton, JavaNames typeNames, java.nio.ByteOrder order) {
        this.skeleton = skeleton;
        this.typeNames = typeNames;
        this.order = order;
    }

    /** The records and codec classes made so far, in the order they were first needed. */
    List<TypeSpec> generated() {
        return generated;
    }

    /**
     * The shape of {@code type}, generating its record or codec on first use.
     *
     * @param type  the C type
     * @param place where it is used, in PascalCase: the name of an anonymous type
     * @param where the use, for a refusal's message ({@code variable 'x' of .data})
     */
    Shape shape(ValueType type, String place, String where) {
        Shape known = shapes.get(type);
        if (known != null) {
            return known;
        }
        Shape shape = switch (type) {
            case ValueType.Int i -> integer(i, where);
            case ValueType.Float f -> new Shape.Scalar(f.size() == 4 ? Shape.Kind.FLOAT : Shape.Kind.DOUBLE, f);
            case ValueType.Pointer p -> new Shape.Scalar(Shape.Kind.LONG, p);
            case ValueType.Enum e -> enumRecord(e, place);
            case ValueType.Array a -> array(a, place, where);
            case ValueType.Struct s -> struct(s, place, where);
            case ValueType.Section s -> throw refuse(where, s.cName(), "is a section, not a value type");
            case ValueType.Opaque o -> throw refuse(where, o.cName(), "has no layout in the object's BTF (void, a function or a forward declaration)");
        };
        shapes.put(type, shape);
        return shape;
    }

    private static Shape integer(ValueType.Int i, String where) {
        if (i.bitOffset() != 0 || i.bits() != 8 * i.size()) {
            // BTF without kind_flag can give an INT a bit range of its own (pahole; clang never does).
            throw refuse(where, i.cName(), "holds " + i.bits() + " bits at bit " + i.bitOffset() + " of its " + i.size()
                    + " bytes, which skeletons do not map");
        }
        if (i.bool()) {
            return new Shape.Scalar(Shape.Kind.BOOLEAN, i);
        }
        Shape.Kind kind = Shape.Kind.ofInteger(i.size());
        if (kind == null) {
            throw refuse(where, i.cName(), "is a " + i.size() + "-byte integer, which has no Java primitive");
        }
        return new Shape.Scalar(kind, i);
    }

    private Shape enumRecord(ValueType.Enum e, String place) {
        ClassName name = skeleton.nestedClass(typeNames.claim(typeName(e.cName(), place)));
        Shape.Kind kind = Shape.Kind.ofInteger(e.size());
        if (kind == null) {
            throw refuse("enum " + place, e.cName(), "is " + e.size() + " bytes wide, which has no Java primitive");
        }
        generated.add(RecordCode.enumRecord(name, e, kind));
        return new Shape.Coded(name, name, e, false);
    }

    private Shape array(ValueType.Array a, String place, String where) {
        if (a.length() == 0) {
            throw refuse(where, a.cName(), "is a flexible (zero-length) array, whose size the object does not say");
        }
        Shape element = shape(a.element(), place + "Element", where);
        ClassName holder = skeleton.nestedClass(typeNames.claim(arrayName(element, a.length())));
        generated.add(RecordCode.arrayCodec(holder, a, element));
        return new Shape.Coded(ArrayTypeName.of(element.type()), holder, a, true);
    }

    private Shape struct(ValueType.Struct s, String place, String where) {
        ClassName name = skeleton.nestedClass(typeNames.claim(typeName(s.cName(), place)));
        JavaNames members = new JavaNames("hashCode", "toString", "getClass", "equals", "notify", "notifyAll", "wait", "clone",
                "finalize", "CODEC", "loadBits", "storeBits");
        if (s.union()) {
            members.claim("bytes"); // a union's record holds its bytes; each member is a method reading them
        }
        List<RecordCode.Member> fields = new ArrayList<>();
        for (ValueType.Field field : s.fields()) {
            String cMember = field.name().isEmpty() ? "anonymous" : field.name();
            if (field.bitfieldSize() != 0) {
                Shape.Bits bits = bitfield(s, cMember, field);
                requireInside(s, cMember, field.offset(), bits.bytes());
                fields.add(new RecordCode.Member(cMember, members.claim(JavaNames.camel(cMember)), field.offset(), bits));
                continue;
            }
            if (field.type() instanceof ValueType.Array a && a.length() == 0) {
                throw new SkeletonException(s.cName() + " member '" + cMember + "' is a flexible array member, whose length the "
                        + "object does not say; skeletons do not support it");
            }
            String javaName = members.claim(JavaNames.camel(cMember));
            Shape shape = shape(field.type(), name.simpleName() + JavaNames.pascal(cMember), s.cName() + " member '" + cMember + "'");
            requireInside(s, cMember, field.offset(), shape.size());
            fields.add(new RecordCode.Member(cMember, javaName, field.offset(), shape));
        }
        if (s.union()) {
            // which member holds the value only the program knows: two CPUs' copies have no sum
            generated.add(UnionCode.unionRecord(name, s, fields));
            return new Shape.Coded(name, name, s, false);
        }
        generated.add(RecordCode.structRecord(name, s, fields));
        return new Shape.Coded(name, name, s, true);
    }

    /**
     * Refuses a member that does not lie inside its struct or union ({@code bytes} from {@code offset}):
     * BTF the kernel would refuse, which the generated readers would read past the value's end.
     */
    private static void requireInside(ValueType.Struct s, String cMember, long offset, long bytes) {
        if (offset < 0 || offset + bytes > s.size()) {
            throw new SkeletonException(s.cName() + " member '" + cMember + "' spans bytes " + offset + " to " + (offset + bytes)
                    + " of a " + s.size() + "-byte " + (s.union() ? "union" : "struct") + ": the object's BTF is malformed");
        }
    }

    /** A bitfield as its declared integer type's primitive; an enum bitfield, or one over 8 bytes of storage, is refused. */
    private Shape.Bits bitfield(ValueType.Struct s, String cMember, ValueType.Field field) {
        String what = s.cName() + " member '" + cMember + "' is a " + field.bitfieldSize() + "-bit bitfield";
        if (!(field.type() instanceof ValueType.Int i)) {
            throw new SkeletonException(what + " of " + field.type().cName() + ", and skeletons map only integer bitfields;"
                    + " make it an integer or read the bytes yourself");
        }
        if (order == java.nio.ByteOrder.BIG_ENDIAN) {
            // BTF counts a big-endian bitfield's bits from the most significant end; the readers count from the least.
            throw new SkeletonException(what + " in a big-endian object (-target bpfeb): skeletons map bitfields of"
                    + " little-endian objects only");
        }
        if (field.bitfieldSize() > 8 * i.size()) {
            throw new SkeletonException(what + " of the " + i.size() + "-byte " + i.cName() + ": wider than its type; the"
                    + " object's BTF is malformed");
        }
        int shift = (int) (field.bitOffset() % 8);
        int bytes = (shift + field.bitfieldSize() + 7) / 8;
        Shape.Kind kind = i.bool() ? Shape.Kind.BOOLEAN : Shape.Kind.ofInteger(i.size());
        if (kind == null || bytes > 8) {
            throw new SkeletonException(what + " spanning " + bytes + " bytes of " + i.cName() + ", which no Java primitive holds");
        }
        return new Shape.Bits(kind, i, shift, field.bitfieldSize(), bytes, i.signed());
    }

    /** {@code struct flow_key} as {@code FlowKey}; an anonymous type as its place. */
    private static String typeName(String cName, String place) {
        String tag = cName.replaceFirst("^(struct|union|enum) ", "");
        return tag.isEmpty() || tag.startsWith("<") ? place : JavaNames.pascal(tag);
    }

    private static String arrayName(Shape element, int length) {
        String base = element instanceof Shape.Coded coded ? coded.holder().simpleName() : JavaNames.pascal(element.type().toString());
        return base + "Array" + length;
    }

    private static SkeletonException refuse(String where, String cName, String why) {
        return new SkeletonException(where + ": " + cName + " " + why);
    }
}
