package dev.bpfglobals.processor.generate;

import dev.bpfglobals.contract.GlobalsContract;
import dev.bpfglobals.processor.model.GlobalsRecord;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import javax.annotation.processing.Filer;
import javax.lang.model.element.Element;
import javax.tools.FileObject;
import javax.tools.StandardLocation;

/** Writes the three outputs of one record: accessor source, C header, contract JSON. */
public final class OutputWriter {

    /** Where headers and contracts go on the class path. */
    public static final String RESOURCE_DIR = "META-INF/bpf-globals/";

    private final Filer filer;
    private final String processorName;
    private final Optional<Path> headerDir;

    /**
     * Writes through {@code filer}, naming {@code processorName} in {@code @Generated}, and copies
     * each header into {@code headerDir} when one is given (the processor's header-directory option).
     *
     * @param filer         the processing environment's filer, which ties outputs to their record
     * @param processorName the name {@code @Generated} gives
     * @param headerDir     the extra directory for headers, if the build asked for one
     */
    public OutputWriter(Filer filer, String processorName, Optional<Path> headerDir) {
        this.filer = filer;
        this.processorName = processorName;
        this.headerDir = headerDir;
    }

    /**
     * Writes every output of one validated record.
     *
     * @param model the record
     * @throws IOException if the filer or the header directory refuses a file; the processor
     *                     reports it as an error on the record
     */
    public void write(GlobalsRecord model) throws IOException {
        GlobalsContract contract = ContractGenerator.contract(model);
        JavaAccessorGenerator.generate(model, contract, processorName).writeTo(filer);
        writeHeader(filer, headerDir, model.binaryName(), model.element(), CHeaderGenerator.generate(model));
        resource(filer, model.binaryName() + ".json", model.element(), ContractGenerator.json(contract));
    }

    /**
     * Writes a record's C header on the class path ({@link #RESOURCE_DIR}{@code BINARY_NAME.h}) and,
     * when the build names one, into the header directory too; the struct records' writer shares it.
     */
    static void writeHeader(Filer filer, Optional<Path> headerDir, String binaryName, Element record, String header)
            throws IOException {
        resource(filer, binaryName + ".h", record, header);
        if (headerDir.isPresent()) {
            Path dir = headerDir.get();
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(binaryName + ".h"), header, StandardCharsets.UTF_8);
        }
    }

    private static void resource(Filer filer, String name, Element record, String text) throws IOException {
        FileObject file = filer.createResource(StandardLocation.CLASS_OUTPUT, "", RESOURCE_DIR + name, record);
        try (Writer writer = file.openWriter()) {
            writer.write(text);
        }
    }
}
