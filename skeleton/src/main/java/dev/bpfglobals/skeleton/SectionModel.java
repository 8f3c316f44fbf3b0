package dev.bpfglobals.skeleton;

import com.palantir.javapoet.ClassName;
import java.util.List;

/**
 * One global section of the object as the skeleton mirrors it: its ELF name, the Java names of its
 * record ({@code DataSection}), before-load image ({@code DataImage}) and live view
 * ({@code DataView}), the accessor name on the skeleton ({@code data()}), and its variables.
 *
 * @param name      the ELF name, e.g. {@code .data} or {@code .percpu.fmt}
 * @param size      the section's size in bytes
 * @param perCpu    whether it is {@code .percpu} or {@code .percpu.<name>} (a PERCPU_ARRAY)
 * @param readOnly  whether it is {@code .rodata} or {@code .rodata.<name>}, frozen after load
 * @param mmapable  whether the loaded object maps it into the process
 * @param accessor  the skeleton's method for it, e.g. {@code data}
 * @param record    the record of its whole contents
 * @param image     the class of its bytes before load
 * @param view      the class of its live bytes after load
 * @param variables its variables in offset order
 */
record SectionModel(String name, long size, boolean perCpu, boolean readOnly, boolean mmapable, String accessor,
        ClassName record, ClassName image, ClassName view, List<RecordCode.Member> variables) {
}
