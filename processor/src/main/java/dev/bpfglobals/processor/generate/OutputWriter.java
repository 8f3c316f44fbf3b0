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
        String header = CHeaderGenerator.generate(model);
        resource(filer, model, ".h", header);
        resource(filer, model, ".json", ContractGenerator.json(contract));
        if (headerDir.isPresent()) {
            Path dir = headerDir.get();
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(model.binaryName() + ".h"), header, StandardCharsets.UTF_8);
        }
    }

    private static void resource(Filer filer, GlobalsRecord model, String suffix, String text) throws IOException {
        FileObject file = filer.createResource(StandardLocation.CLASS_OUTPUT, "",
                RESOURCE_DIR + model.binaryName() + suffix, model.element());
        try (Writer writer = file.openWriter()) {
            writer.write(text);
        }
    }
}
