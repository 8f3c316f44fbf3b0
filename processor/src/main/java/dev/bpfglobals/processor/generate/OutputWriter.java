package dev.bpfglobals.processor.generate;

import dev.bpfglobals.processor.GlobalsProcessor;
import dev.bpfglobals.processor.model.GlobalsRecord;
import dev.bpfglobals.runtime.contract.GlobalsContract;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.annotation.processing.Filer;
import javax.annotation.processing.ProcessingEnvironment;
import javax.tools.FileObject;
import javax.tools.StandardLocation;

/** Writes the three outputs of one record: accessor source, C header, contract JSON. */
public final class OutputWriter {

    /** Where headers and contracts go on the class path. */
    public static final String RESOURCE_DIR = "META-INF/bpf-globals/";

    private final ProcessingEnvironment env;
    private final String processorName;

    public OutputWriter(ProcessingEnvironment env, String processorName) {
        this.env = env;
        this.processorName = processorName;
    }

    /** Writes every output of {@code model}. */
    public void write(GlobalsRecord model) throws IOException {
        Filer filer = env.getFiler();
        GlobalsContract contract = ContractGenerator.contract(model);
        JavaAccessorGenerator.generate(model, contract, processorName).writeTo(filer);
        String header = CHeaderGenerator.generate(model);
        resource(filer, model, ".h", header);
        resource(filer, model, ".json", ContractGenerator.json(contract));
        String headerDir = env.getOptions().get(GlobalsProcessor.HEADER_DIR_OPTION);
        if (headerDir != null && !headerDir.isBlank()) {
            Path dir = Path.of(headerDir);
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
