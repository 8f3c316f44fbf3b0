package dev.bpfglobals.processor.generate;

import dev.bpfglobals.processor.model.StructRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import javax.annotation.processing.Filer;

/**
 * Writes the outputs of one {@code @BpfStruct} record: its codec's source and its C header, on the
 * class path beside the globals headers ({@link OutputWriter#RESOURCE_DIR}) and in the header
 * directory when the build names one.
 */
public final class StructOutputWriter {

    private final Filer filer;
    private final String processorName;
    private final Optional<Path> headerDir;

    /**
     * Writes through {@code filer}, as {@link OutputWriter} does.
     *
     * @param filer         the processing environment's filer, which ties outputs to their record
     * @param processorName the name {@code @Generated} gives
     * @param headerDir     the extra directory for headers, if the build asked for one
     */
    public StructOutputWriter(Filer filer, String processorName, Optional<Path> headerDir) {
        this.filer = filer;
        this.processorName = processorName;
        this.headerDir = headerDir;
    }

    /**
     * Writes the codec and the header of one validated struct record.
     *
     * @param model the struct record
     * @throws IOException if the filer or the header directory refuses a file
     */
    public void write(StructRecord model) throws IOException {
        StructCodecGenerator.generate(model, processorName).writeTo(filer);
        OutputWriter.writeHeader(filer, headerDir, model.binaryName(), model.element(), StructHeaderGenerator.generate(model));
    }
}
