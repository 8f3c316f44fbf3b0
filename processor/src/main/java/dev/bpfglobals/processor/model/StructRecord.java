package dev.bpfglobals.processor.model;

import com.palantir.javapoet.ClassName;
import dev.bpfglobals.processor.layout.CType;
import java.util.Map;
import javax.lang.model.element.TypeElement;

/**
 * A validated {@code @BpfStruct} record: the C struct it describes, laid out.
 *
 * @param element    the annotated record
 * @param className  its Java name
 * @param binaryName its binary name ({@code pkg.Outer$Inner}), which names its header
 * @param struct     the C struct, with the record itself as its Java name
 * @param records    the Java class of the record and of every nested record and enum, by qualified name
 */
public record StructRecord(TypeElement element, ClassName className, String binaryName, CType.Struct struct,
        Map<String, ClassName> records) {

    /** Copies the map, so the model cannot change under the generators. */
    public StructRecord {
        records = Map.copyOf(records);
    }

    /**
     * The codec class the processor generates for a struct record.
     *
     * @param record the annotated record
     * @return same package, {@code Outer_InnerCodec} for nested records
     */
    public static ClassName codec(ClassName record) {
        return ClassName.get(record.packageName(), String.join("_", record.simpleNames()) + "Codec");
    }
}
