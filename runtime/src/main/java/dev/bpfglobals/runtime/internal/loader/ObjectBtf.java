package dev.bpfglobals.runtime.internal.loader;

import dev.bpfglobals.runtime.btf.Btf;
import dev.bpfglobals.runtime.btf.BtfExt;
import dev.bpfglobals.runtime.btf.BtfSanitizer;
import dev.bpfglobals.runtime.btf.BtfSupport;
import dev.bpfglobals.runtime.btf.BtfType;
import dev.bpfglobals.runtime.btf.BtfWriter;
import dev.bpfglobals.runtime.internal.BtfObjects;
import dev.bpfglobals.runtime.kernel.BpfException;
import dev.bpfglobals.runtime.kernel.BpfFd;
import dev.bpfglobals.runtime.kernel.Errno;
import java.nio.ByteOrder;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * An object's BTF in the kernel: fixed up, sanitised for the kernel's BTF kinds, and stored with
 * the file names and source lines its line info names. Like libbpf, a kernel that refuses the BTF
 * does not stop the load: maps and programs are then made without it, and {@link #refusal()} says why.
 */
final class ObjectBtf implements AutoCloseable {

    /** The BTF object in the kernel, null when there is none. */
    private final BpfFd fd;
    private final BtfWriter.Encoded encoded;
    private final BtfSupport support;
    private final String refusal;

    private ObjectBtf(BpfFd fd, BtfWriter.Encoded encoded, BtfSupport support, String refusal) {
        this.fd = fd;
        this.encoded = encoded;
        this.support = support;
        this.refusal = refusal;
    }

    /** No BTF: maps and programs are made without. */
    static ObjectBtf none(String why) {
        return new ObjectBtf(null, null, BtfSupport.NONE, why);
    }

    static ObjectBtf load(ObjectImage object, BtfSupport support) {
        if (object.btf().isEmpty()) {
            return none("the object has no .BTF section (compiled without -g)");
        }
        Btf ksyms = KsymsBtf.forKernel(object.btf().get());
        Btf externs = KconfigMap.of(object).map(kconfig -> kconfig.forKernel(ksyms)).orElse(ksyms);
        Btf btf = BtfSanitizer.sanitize(externs, support);
        Set<String> lines = new LinkedHashSet<>();
        Stream.concat(object.programs().stream(), object.subprograms().stream())
                .flatMap(p -> p.btfExt().lineInfo().stream())
                .forEach(l -> {
                    lines.add(l.fileName());
                    lines.add(l.line());
                });
        // The kernel applies CO-RE for the light loader, reading each access string from this BTF.
        Stream.concat(object.programs().stream(), object.subprograms().stream())
                .flatMap(p -> p.btfExt().coreRelocations().stream())
                .forEach(c -> lines.add(c.accessString()));
        BtfWriter.Encoded encoded = BtfWriter.encode(btf, ByteOrder.nativeOrder(), lines);
        try {
            return new ObjectBtf(BtfObjects.load(encoded.bytes()), encoded, support, null);
        } catch (BpfException e) {
            if (e.errno() == Errno.EPERM) {
                throw e;
            }
            return none("the kernel refused the object's BTF: " + e.getMessage());
        }
    }

    /** {@return the sanitized BTF as loaded, a copy; null when there is none} */
    byte[] bytes() {
        return encoded == null ? null : encoded.bytes().clone();
    }

    /** The BTF object, lent (this object closes it); null when there is none. */
    BpfFd fd() {
        return fd;
    }

    /** Why the object is loaded without BTF; null when it is loaded with it. */
    String refusal() {
        return refusal;
    }

    /** The BTF value type of a global section's map: its DATASEC, when the kernel knows DATASECs. */
    int datasecId(ObjectImage object, String section) {
        if (fd == null || !support.datasec()) {
            return 0;
        }
        return object.btf().map(b -> b.datasecId(section).orElse(0)).orElse(0);
    }

    /**
     * A 4-byte integer type of the object's BTF, to type a per-CPU section map's key: unlike the
     * ARRAY maps of {@code .data}, a PERCPU_ARRAY may not leave its key untyped on kernels before
     * mainline's per-CPU data series (6.18 answers EINVAL). 0 when there is none.
     */
    int keyTypeId(ObjectImage object) {
        if (fd == null) {
            return 0;
        }
        return object.btf().map(btf -> {
            java.util.List<BtfType> types = btf.types();
            for (int id = 1; id < types.size(); id++) {
                if (types.get(id) instanceof BtfType.Int i && i.size() == 4 && i.bits() == 32 && i.bitOffset() == 0) {
                    return id;
                }
            }
            return 0;
        }).orElse(0);
    }

    /** {@code struct bpf_func_info} records, flattened; none without BTF or without FUNC support. */
    int[] funcInfo(LinkedProgram program) {
        if (fd == null || !support.func()) {
            return new int[0];
        }
        List<BtfExt.FuncInfo> records = program.funcInfo();
        int[] out = new int[records.size() * 2];
        for (int i = 0; i < records.size(); i++) {
            out[2 * i] = records.get(i).instruction();
            out[2 * i + 1] = records.get(i).typeId();
        }
        return out;
    }

    /** {@code struct bpf_line_info} records, flattened; the kernel takes them only together with func info. */
    int[] lineInfo(LinkedProgram program) {
        if (fd == null || !support.func() || program.funcInfo().isEmpty()) {
            return new int[0];
        }
        List<BtfExt.LineInfo> records = program.lineInfo();
        int[] out = new int[records.size() * 4];
        for (int i = 0; i < records.size(); i++) {
            BtfExt.LineInfo line = records.get(i);
            out[4 * i] = line.instruction();
            out[4 * i + 1] = encoded.offsetOf(line.fileName());
            out[4 * i + 2] = encoded.offsetOf(line.line());
            out[4 * i + 3] = line.lineNumber() << 10 | line.column() & 0x3ff;
        }
        return out;
    }

    /**
     * {@code struct bpf_core_relo} records, flattened (instruction byte offset, local type id, access
     * string offset, kind), for the kernel to apply at load; none without BTF in the kernel.
     */
    int[] coreRelos(LinkedProgram program) {
        if (fd == null) {
            return new int[0];
        }
        List<BtfExt.CoreRelocation> records = program.coreRelocations();
        int[] out = new int[records.size() * 4];
        for (int i = 0; i < records.size(); i++) {
            BtfExt.CoreRelocation relocation = records.get(i);
            out[4 * i] = relocation.instruction() * 8;
            out[4 * i + 1] = relocation.typeId();
            out[4 * i + 2] = encoded.offsetOf(relocation.accessString());
            out[4 * i + 3] = relocation.kind();
        }
        return out;
    }

    @Override
    public void close() {
        if (fd != null) {
            fd.close();
        }
    }
}
