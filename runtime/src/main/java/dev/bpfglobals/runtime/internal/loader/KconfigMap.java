package dev.bpfglobals.runtime.internal.loader;

import dev.bpfglobals.runtime.btf.Btf;
import dev.bpfglobals.runtime.btf.BtfType;
import dev.bpfglobals.runtime.internal.Bpf;
import dev.bpfglobals.runtime.internal.kernelenv.KernelConfig;
import dev.bpfglobals.runtime.internal.kernelenv.PerfEvents;
import dev.bpfglobals.runtime.kernel.BpfException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Supplier;

/**
 * The object's {@code __kconfig} externs as libbpf lays them out in its internal {@code .kconfig}
 * map: sorted by alignment (largest first), then size (smallest first), then name, each at the next
 * offset its alignment allows ({@code bpf_object__collect_externs}), and filled as
 * {@code bpf_object__resolve_externs} fills them: {@code CONFIG_*} from the kernel's configuration,
 * {@code LINUX_KERNEL_VERSION}, {@code LINUX_HAS_BPF_COOKIE} and {@code LINUX_HAS_SYSCALL_WRAPPER}
 * computed, a {@code __weak} one that nothing sets left 0, a strong one refused by name.
 */
public final class KconfigMap {

    static final String SECTION = ExternsReader.KCONFIG;
    /**
     * The largest {@code .kconfig} value accepted, all externs together. A configuration value is
     * a short line, so this is far past any real use, and far below the 2 GiB an array map's value
     * may take in the kernel: BTF alone must not make a load hold a gigabyte of kernel memory.
     */
    static final int MAX_SIZE = 64 * 1024;

    /** libbpf's {@code enum kcfg_type}: what a value may be written into. */
    enum ValueType { BOOL, CHAR, INT, TRISTATE, CHAR_ARRAY, UNKNOWN }

    /** One extern in the map. */
    record Entry(String name, boolean weak, int varId, ValueType type, boolean signed, int offset, int size, int alignment) {
    }

    private final List<Entry> entries;
    private final int size;

    private KconfigMap(List<Entry> entries, int size) {
        this.entries = entries;
        this.size = size;
    }

    /** The layout of the object's {@code .kconfig} externs; empty when it declares none. */
    public static Optional<KconfigMap> of(ObjectImage object) {
        Optional<Btf> found = object.btf();
        if (found.isEmpty() || found.get().datasec(SECTION).isEmpty()) {
            return Optional.empty();
        }
        Map<String, ExternImage> externs = new HashMap<>();
        object.externs().forEach(e -> externs.put(e.name(), e));
        return Optional.of(of(found.get(), externs));
    }

    /**
     * The layout of the {@code .kconfig} DATASEC of {@code btf}, whose externs' symbols are {@code externs}.
     *
     * @throws ObjectFormatException naming the extern, if one or all together are over {@link #MAX_SIZE} bytes
     */
    static KconfigMap of(Btf btf, Map<String, ExternImage> externs) {
        List<Entry> unplaced = new ArrayList<>();
        for (BtfType.VarSecinfo info : btf.datasec(SECTION).get().entries()) {
            if (!(btf.type(info.type()) instanceof BtfType.Var var)) {
                continue;
            }
            boolean[] signed = new boolean[1];
            ValueType type = valueType(btf, var.type(), signed);
            long size = type == ValueType.UNKNOWN ? 0 : btf.sizeOf(var.type());
            if (size > MAX_SIZE) {
                throw new ObjectFormatException("__kconfig extern '" + var.name() + "' is " + size + " bytes, over the "
                        + MAX_SIZE + "-byte limit for all __kconfig values together (no configuration value is that long)");
            }
            int alignment = type == ValueType.UNKNOWN ? 1 : btf.alignmentOf(var.type());
            ExternImage extern = externs.get(var.name());
            unplaced.add(new Entry(var.name(), extern != null && extern.weak(), info.type(), type, signed[0], 0, (int) size,
                    alignment));
        }
        unplaced.sort(Comparator.comparingInt((Entry e) -> -e.alignment()).thenComparingInt(Entry::size)
                .thenComparing(Entry::name));
        List<Entry> entries = new ArrayList<>();
        int offset = 0;
        for (Entry e : unplaced) {
            // Each size is at most MAX_SIZE and the sum is checked at every step, so no int here overflows.
            offset = (offset + e.alignment() - 1) / e.alignment() * e.alignment();
            if (offset > MAX_SIZE - e.size()) {
                throw new ObjectFormatException("__kconfig externs take more than " + MAX_SIZE + " bytes together (at '"
                        + e.name() + "'), over the limit for all __kconfig values (no configuration value is that long)");
            }
            entries.add(new Entry(e.name(), e.weak(), e.varId(), e.type(), e.signed(), offset, e.size(), e.alignment()));
            offset += e.size();
        }
        return new KconfigMap(List.copyOf(entries), offset);
    }

    /** libbpf's {@code find_kcfg_type}. */
    private static ValueType valueType(Btf btf, int id, boolean[] signed) {
        return switch (btf.type(btf.resolve(id))) {
            case BtfType.Int i when i.bool() -> i.size() == 1 ? ValueType.BOOL : ValueType.UNKNOWN;
            case BtfType.Int i -> {
                signed[0] = i.signed();
                yield i.size() == 1 ? ValueType.CHAR : i.size() <= 8 ? ValueType.INT : ValueType.UNKNOWN;
            }
            case BtfType.Enum e -> e.size() == 4 && e.name().equals("libbpf_tristate") ? ValueType.TRISTATE : ValueType.UNKNOWN;
            case BtfType.Enum64 e -> e.name().equals("libbpf_tristate") ? ValueType.TRISTATE : ValueType.UNKNOWN;
            case BtfType.Array a -> a.length() > 0 && valueType(btf, a.elementType(), new boolean[1]) == ValueType.CHAR
                    ? ValueType.CHAR_ARRAY : ValueType.UNKNOWN;
            default -> ValueType.UNKNOWN;
        };
    }

    List<Entry> entries() {
        return entries;
    }

    /** The map's value size: the end of the last extern (at least 1: the kernel makes no 0-byte values). */
    public int size() {
        return Math.max(1, size);
    }

    /** Where the program finds extern {@code name} in the map's value. */
    OptionalInt offsetOf(String name) {
        return entries.stream().filter(e -> e.name().equals(name)).mapToInt(Entry::offset).findFirst();
    }

    /**
     * The object's BTF with the {@code .kconfig} DATASEC rewritten as libbpf rewrites it: each VAR
     * allocated (the kernel refuses {@code extern} linkage) at its offset, and the section's size the map's.
     */
    Btf forKernel(Btf btf) {
        OptionalInt id = btf.datasecId(SECTION);
        if (id.isEmpty()) {
            return btf;
        }
        Map<Integer, BtfType> replaced = new HashMap<>();
        List<BtfType.VarSecinfo> infos = new ArrayList<>();
        for (Entry e : entries) {
            BtfType.Var var = btf.type(e.varId(), BtfType.Var.class);
            replaced.put(e.varId(), new BtfType.Var(var.name(), var.type(), BtfType.Linkage.GLOBAL));
            infos.add(new BtfType.VarSecinfo(e.varId(), e.offset(), e.size()));
        }
        replaced.put(id.getAsInt(), new BtfType.Datasec(SECTION, size, infos));
        return btf.withTypes(replaced);
    }

    /**
     * The map's value: every extern's value, as libbpf resolves them.
     *
     * @param config the kernel's {@code CONFIG_*} values, read only when the object declares one
     * @throws IllegalStateException naming the extern that cannot be given a value, and why
     */
    byte[] image(Supplier<Map<String, String>> config) {
        ByteBuffer value = ByteBuffer.allocate(size()).order(ByteOrder.nativeOrder());
        Map<String, String> configuration = null;
        for (Entry e : entries) {
            if (e.type() == ValueType.UNKNOWN) {
                throw new IllegalStateException("__kconfig extern '" + e.name() + "' has a type libbpf does not support "
                        + "either: declare it as an integer of 1, 2, 4 or 8 bytes, a bool (_Bool), a char array or "
                        + "enum libbpf_tristate");
            }
            if (!e.name().startsWith("CONFIG_")) {
                Optional<Long> computed = virtual(e);
                if (computed.isPresent()) {
                    writeNumber(e, computed.get(), value, "__kconfig extern '" + e.name() + "' and its value " + computed.get());
                } else if (!e.name().startsWith("LINUX_") || !e.weak()) {
                    throw new IllegalStateException("__kconfig extern '" + e.name() + "' is neither a CONFIG_* value nor one "
                            + "libbpf computes (LINUX_KERNEL_VERSION, LINUX_HAS_BPF_COOKIE, LINUX_HAS_SYSCALL_WRAPPER); libbpf "
                            + "refuses it too, unless it is a __weak LINUX_* one, which is 0");
                }
                continue;
            }
            if (configuration == null) {
                configuration = config.get();
            }
            String text = configuration.get(e.name());
            if (text == null) {
                if (!e.weak()) {
                    throw new IllegalStateException("__kconfig extern '" + e.name() + "' is not set in this kernel's "
                            + "configuration (no " + e.name() + "=... line); declare it __weak to get 0 where it is missing,"
                            + " as libbpf gives it");
                }
                continue;
            }
            write(e, text, value);
        }
        return value.array();
    }

    /** The values libbpf computes for {@code LINUX_} externs; empty for another name. */
    private static Optional<Long> virtual(Entry e) {
        return switch (e.name()) {
            case "LINUX_KERNEL_VERSION" -> Optional.of((long) KernelConfig.version().orElseThrow(() -> new IllegalStateException(
                    "__kconfig extern 'LINUX_KERNEL_VERSION': the kernel release '" + KernelConfig.release()
                            + "' does not start with three numbers (major.minor.patch), so its version is unknown, as it is to libbpf")));
            case "LINUX_HAS_BPF_COOKIE" -> Optional.of(hasBpfCookie() ? 1L : 0L);
            case "LINUX_HAS_SYSCALL_WRAPPER" -> Optional.of(hasSyscallWrapper() ? 1L : 0L);
            default -> Optional.empty();
        };
    }

    /** libbpf's {@code probe_kern_bpf_cookie}: a tracepoint program calling {@code bpf_get_attach_cookie} loads. */
    static boolean hasBpfCookie() {
        long callGetAttachCookie = 0x85L | (174L << 32);
        long exit = 0x95L;
        try {
            try (var probe = Bpf.progLoad(5, new long[] {callGetAttachCookie, exit}, "GPL", "kconfig_probe")) {
                return true;
            }
        } catch (BpfException e) {
            return false;
        }
    }

    /**
     * libbpf's {@code probe_kern_syscall_wrapper}: a kprobe on this architecture's {@code sys_bpf}
     * wrapper ({@code __x64_sys_bpf}) opens. Like libbpf's, the probe answers 0 on a kernel without kprobes.
     */
    static boolean hasSyscallWrapper() {
        try {
            try (var probe = PerfEvents.kprobe(dev.bpfglobals.runtime.attach.KprobeAttach.syscallHandler("bpf"), false)) {
                return true;
            }
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** libbpf's {@code set_kcfg_value_tri}, {@code _str} and {@code _num}, chosen by the value's first character. */
    static void write(Entry e, String text, ByteBuffer out) {
        String what = "__kconfig extern '" + e.name() + "' (" + e.type().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                + ") and the kernel's value '" + text + "'";
        int at = e.offset();
        switch (text.charAt(0)) {
            case 'y', 'n', 'm' -> {
                char c = text.charAt(0);
                switch (e.type()) {
                    case BOOL -> {
                        if (c == 'm') {
                            throw new IllegalStateException(what + ": 'm' (a module) needs enum libbpf_tristate or char");
                        }
                        out.put(at, (byte) (c == 'y' ? 1 : 0));
                    }
                    case TRISTATE -> out.putInt(at, c == 'y' ? 1 : c == 'm' ? 2 : 0);
                    case CHAR -> out.put(at, (byte) c);
                    default -> throw new IllegalStateException(what + ": a y/n/m value needs bool, enum libbpf_tristate or char");
                }
            }
            case '"' -> {
                if (e.type() != ValueType.CHAR_ARRAY) {
                    throw new IllegalStateException(what + ": a string needs a char array");
                }
                if (text.length() < 2 || text.charAt(text.length() - 1) != '"') {
                    throw new IllegalStateException(what + ": the string has no closing quote");
                }
                byte[] bytes = text.substring(1, text.length() - 1).getBytes(StandardCharsets.UTF_8);
                // libbpf truncates to the array, keeping the terminating NUL.
                int length = Math.min(bytes.length, e.size() - 1);
                out.put(at, bytes, 0, length);
                out.put(at + length, (byte) 0);
            }
            default -> {
                long number = parseNumber(text).orElseThrow(() -> new IllegalStateException(what + ": not a valid integer"));
                if (e.type() != ValueType.INT && e.type() != ValueType.CHAR) {
                    throw new IllegalStateException(what + ": a number needs an integer type");
                }
                writeNumber(e, number, out, what);
            }
        }
    }

    /** A virtual extern's value, or a number: checked against the type's range as libbpf checks it. */
    private static void writeNumber(Entry e, long value, ByteBuffer out, String what) {
        if (e.type() == ValueType.BOOL && Long.compareUnsigned(value, 1) > 0) {
            throw new IllegalStateException(what + ": not 0 or 1, so not a bool");
        }
        if (e.type() != ValueType.INT && e.type() != ValueType.CHAR && e.type() != ValueType.BOOL) {
            throw new IllegalStateException(what + ": a number needs an integer, char or bool type");
        }
        int bits = e.size() * 8;
        boolean fits = bits == 64 || (e.signed() ? Long.compareUnsigned(value + (1L << (bits - 1)), 1L << bits) < 0
                : value >>> bits == 0);
        if (!fits) {
            throw new IllegalStateException(what + ": does not fit in " + e.size() + " bytes");
        }
        switch (e.size()) {
            case 1 -> out.put(e.offset(), (byte) value);
            case 2 -> out.putShort(e.offset(), (short) value);
            case 4 -> out.putInt(e.offset(), (int) value);
            default -> out.putLong(e.offset(), value);
        }
    }

    /** C's {@code strtoull(text, &end, 0)} over the whole text: decimal, {@code 0x} hex or {@code 0} octal, a leading '-' negating. */
    static Optional<Long> parseNumber(String text) {
        String digits = text.strip();
        boolean negative = digits.startsWith("-");
        if (negative || digits.startsWith("+")) {
            digits = digits.substring(1);
        }
        int radix = 10;
        if (digits.startsWith("0x") || digits.startsWith("0X")) {
            radix = 16;
            digits = digits.substring(2);
        } else if (digits.length() > 1 && digits.startsWith("0")) {
            radix = 8;
            digits = digits.substring(1);
        }
        try {
            long value = Long.parseUnsignedLong(digits, radix);
            return Optional.of(negative ? -value : value);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
