package dev.bpfglobals.runtime;

import dev.bpfglobals.contract.LayoutComparison;
import dev.bpfglobals.contract.LayoutDifference;
import dev.bpfglobals.contract.MapType;
import dev.bpfglobals.contract.SectionContract;
import dev.bpfglobals.contract.VariableContract;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A record's globals in a loaded object's mmapped {@code .data}, {@code .bss}, {@code .rodata} (or
 * custom {@code .data.<name>}, ...) section, read and written in place, variable by variable. Get
 * one from {@code LoadedObject.bindGlobalData} or, typed per variable, from the generated
 * {@code <Record>Globals.bindData}, {@code bindBss} or {@code bindRodata}.
 *
 * <p><b>No zero-fill.</b> A write touches only the bytes of the variable it names, and writes them
 * with their new value directly: unlike {@link SectionCodec#encode}, which zeroes its destination
 * first to produce an image for {@code ObjectSpec.withGlobalImage}, nothing here ever stores a zero
 * the caller did not ask for, so a running program never sees a limit drop to 0 for a moment.
 *
 * <p><b>What a BPF program observes.</b> A scalar (or one array element) is read and written with a
 * single volatile access of its width at its address, which C aligns naturally: the store is
 * atomic, so a program on any CPU reads either the old or the new value, never a mix of the two.
 * Volatile orders these accesses among Java threads; the program's own loads are plain, so it may
 * observe writes to <em>different</em> variables in another order than Java made them, and a
 * whole-record {@link #write} is a series of such per-variable stores, not one atomic update.
 * Nested records are copied in aligned units of their alignment (at most 8 bytes), so each scalar
 * inside one is still written whole.
 *
 * <p><b>Read-only sections.</b> {@code .rodata} and {@code .rodata.<name>} are frozen after load and
 * mapped read-only; every write through a view of one is refused, naming the section and the
 * variable, before any byte is touched.
 *
 * <p>A view is valid while the loaded object that mapped it is open; after it closes, accesses
 * throw {@link IllegalStateException} (the JDK's closed-arena error).
 *
 * @param <R> the record the section decodes to
 */
public final class GlobalDataView<R extends Record> {

    private static final VarHandle BYTE = ValueLayout.JAVA_BYTE.varHandle();
    private static final VarHandle SHORT = ValueLayout.JAVA_SHORT.varHandle();
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    private static final VarHandle FLOAT = ValueLayout.JAVA_FLOAT.varHandle();
    private static final VarHandle DOUBLE = ValueLayout.JAVA_DOUBLE.varHandle();

    private final String section;
    private final MemorySegment memory;
    private final SectionCodec<R> codec;
    private final Map<String, Variable> variables;

    /**
     * One variable of the bound section, at the offset the record's contract gives (checked against
     * the loaded section when the view was bound). Only the view that made it accepts it.
     */
    public static final class Variable {

        private final GlobalDataView<?> owner;
        private final VariableContract contract;

        private Variable(GlobalDataView<?> owner, VariableContract contract) {
            this.owner = owner;
            this.contract = contract;
        }

        /** {@return the C name of the variable} */
        public String name() {
            return contract.name();
        }

        /** {@return its offset in the section, in bytes} */
        public long offset() {
            return contract.offset();
        }

        /** {@return its size in bytes (all elements, for an array)} */
        public long size() {
            return contract.size();
        }

        /** {@return its alignment in bytes: for a scalar or an array of them, the element width} */
        public int alignment() {
            return contract.alignment();
        }

        @Override
        public String toString() {
            return "variable '" + name() + "' of " + owner.section + " (" + size() + " bytes at offset " + offset() + ")";
        }
    }

    private GlobalDataView(String section, MemorySegment memory, SectionCodec<R> codec) {
        this.section = section;
        this.memory = memory;
        this.codec = codec;
        this.variables = codec.section().variables().stream()
                .map(v -> new Variable(this, v))
                .collect(Collectors.toUnmodifiableMap(Variable::name, Function.identity()));
    }

    /**
     * Binds {@code memory}, the mmapped bytes of global section {@code section} whose variables are
     * {@code found} (the loaded object's layout), to {@code codec}'s record. Writes are refused
     * later if {@code memory} is read-only.
     *
     * @param <R> the record the section decodes to
     * @param section the section's ELF name, for messages
     * @param memory the section's mmapped bytes, as the loaded object maps them
     * @param found the section's layout in the loaded object, to check the record's contract against
     * @param codec the record's codec, whose contract says where each variable lives
     * @return a view of the section, valid while the loaded object is open
     * @throws IllegalArgumentException  if {@code codec} describes a per-CPU section, which is not mmapped
     * @throws ContractMismatchException naming every difference between the record's contract and
     *                                   {@code found} (and the mapped size), before anything is read or written
     */
    public static <R extends Record> GlobalDataView<R> bind(String section, MemorySegment memory, SectionContract found,
            SectionCodec<R> codec) {
        Objects.requireNonNull(section, "section");
        Objects.requireNonNull(memory, "memory");
        Objects.requireNonNull(found, "found");
        SectionContract expected = Objects.requireNonNull(codec, "codec").section();
        if (expected.mapType() != MapType.ARRAY) {
            throw new IllegalArgumentException(codec.recordType().getName() + "'s codec describes " + expected.name()
                    + ", a " + expected.mapType() + " section that the kernel does not mmap; bind it with PerCpuGlobals.bind");
        }
        List<LayoutDifference> differences = new ArrayList<>(LayoutComparison.compare(expected, found));
        if (memory.byteSize() != expected.valueSize() && expected.valueSize() == found.valueSize()) {
            differences.add(new LayoutDifference(null, "mapped size", expected.valueSize() + " bytes", memory.byteSize() + " bytes"));
        }
        if (!differences.isEmpty()) {
            throw new ContractMismatchException("section '" + section + "' of the loaded object", codec.recordType().getName(),
                    differences);
        }
        return new GlobalDataView<>(section, memory, codec);
    }

    /** {@return the ELF name of the bound section} */
    public String section() {
        return section;
    }

    /**
     * {@return whether writes are refused: the section is {@code .rodata} or {@code .rodata.<name>}, frozen after load}
     */
    public boolean readOnly() {
        return memory.isReadOnly();
    }

    /** {@return the codec of the bound record} */
    public SectionCodec<R> codec() {
        return codec;
    }

    /**
     * {@return the live section, read-only whatever the section: writes go through this view's setters, which never zero-fill}
     */
    public MemorySegment segment() {
        return memory.asReadOnly();
    }

    /**
     * The variable with this C name.
     *
     * @param name the variable's name in C
     * @return the variable, to pass to this view's accessors
     * @throws IllegalArgumentException if the record's section has no such variable, naming those it has
     */
    public Variable variable(String name) {
        Variable variable = variables.get(name);
        if (variable == null) {
            throw new IllegalArgumentException("section '" + section + "' of " + codec.recordType().getName()
                    + " has no variable '" + name + "'; it has " + codec.section().variables().stream().map(VariableContract::name).toList());
        }
        return variable;
    }

    /**
     * The whole record, decoded variable by variable from the live memory (not an atomic snapshot).
     *
     * @return the record as the section holds it now
     */
    public R read() {
        return codec.decode(memory);
    }

    /**
     * Writes every variable of {@code value} in place, one after another, each as its setter does:
     * no byte is zeroed first, and the padding between variables is not touched.
     *
     * @param value the record whose variables to store
     * @throws UnsupportedOperationException for a read-only section, before any byte is written
     * @throws IllegalArgumentException      if an array component does not have its declared length
     */
    public void write(R value) {
        Objects.requireNonNull(value, "value");
        requireWritable(null);
        // Encode into private memory (which the codec may zero-fill), then store each variable once.
        MemorySegment encoded = MemorySegment.ofArray(new long[(int) ((memory.byteSize() + 7) / 8)]);
        codec.encode(value, encoded);
        for (Variable v : variables.values()) {
            VolatileStores.copy(memory, v.offset(), v.alignment(), encoded.asSlice(v.offset(), v.size()));
        }
    }

    /**
     * Writes {@code bytes} into variable {@code v} from byte {@code within} of it on (a nested record,
     * or one element of an array of them), in aligned stores of up to 8 bytes, never zeroing first.
     *
     * @param v a variable of this view
     * @param within the offset inside the variable where {@code bytes} go
     * @param bytes what to write, at most the variable's size less {@code within}
     * @throws UnsupportedOperationException for a read-only section
     * @throws IndexOutOfBoundsException     if the bytes do not fit inside the variable
     */
    public void setBytes(Variable v, long within, MemorySegment bytes) {
        requireOwn(v);
        requireWritable(v);
        Objects.checkFromIndexSize(within, bytes.byteSize(), v.size());
        VolatileStores.copy(memory, v.offset() + within, v.alignment(), bytes);
    }

    // Typed accessors: index 0 for a scalar, element index for an array. Each is one volatile access.

    /**
     * Element {@code index} of 1-byte variable {@code v} ({@code __s8}, {@code __u8}, {@code bool}).
     *
     * @param v a variable of this view, of this accessor's width
     * @param index 0 for a scalar, else the element's index in the array
     * @return the element's current value
     */
    public byte getByte(Variable v, int index) {
        return (byte) BYTE.getVolatile(memory, at(v, index, 1));
    }

    /**
     * Sets element {@code index} of 1-byte variable {@code v}, touching no other byte.
     *
     * @param v a variable of this view, of this accessor's width
     * @param index 0 for a scalar, else the element's index in the array
     * @param value the element's new value
     */
    public void setByte(Variable v, int index, byte value) {
        BYTE.setVolatile(memory, writableAt(v, index, 1), value);
    }

    /**
     * Element {@code index} of 2-byte variable {@code v} ({@code __s16}, {@code __u16}).
     *
     * @param v a variable of this view, of this accessor's width
     * @param index 0 for a scalar, else the element's index in the array
     * @return the element's current value
     */
    public short getShort(Variable v, int index) {
        return (short) SHORT.getVolatile(memory, at(v, index, 2));
    }

    /**
     * Sets element {@code index} of 2-byte variable {@code v}, touching no other byte.
     *
     * @param v a variable of this view, of this accessor's width
     * @param index 0 for a scalar, else the element's index in the array
     * @param value the element's new value
     */
    public void setShort(Variable v, int index, short value) {
        SHORT.setVolatile(memory, writableAt(v, index, 2), value);
    }

    /**
     * Element {@code index} of 4-byte integer variable {@code v} ({@code __s32}, {@code __u32}, an enum).
     *
     * @param v a variable of this view, of this accessor's width
     * @param index 0 for a scalar, else the element's index in the array
     * @return the element's current value
     */
    public int getInt(Variable v, int index) {
        return (int) INT.getVolatile(memory, at(v, index, 4));
    }

    /**
     * Sets element {@code index} of 4-byte integer variable {@code v}, touching no other byte.
     *
     * @param v a variable of this view, of this accessor's width
     * @param index 0 for a scalar, else the element's index in the array
     * @param value the element's new value
     */
    public void setInt(Variable v, int index, int value) {
        INT.setVolatile(memory, writableAt(v, index, 4), value);
    }

    /**
     * Element {@code index} of 8-byte integer variable {@code v} ({@code __s64}, {@code __u64}).
     *
     * @param v a variable of this view, of this accessor's width
     * @param index 0 for a scalar, else the element's index in the array
     * @return the element's current value
     */
    public long getLong(Variable v, int index) {
        return (long) LONG.getVolatile(memory, at(v, index, 8));
    }

    /**
     * Sets element {@code index} of 8-byte integer variable {@code v}, touching no other byte.
     *
     * @param v a variable of this view, of this accessor's width
     * @param index 0 for a scalar, else the element's index in the array
     * @param value the element's new value
     */
    public void setLong(Variable v, int index, long value) {
        LONG.setVolatile(memory, writableAt(v, index, 8), value);
    }

    /**
     * Element {@code index} of {@code float} variable {@code v}.
     *
     * @param v a variable of this view, of this accessor's width
     * @param index 0 for a scalar, else the element's index in the array
     * @return the element's current value
     */
    public float getFloat(Variable v, int index) {
        return (float) FLOAT.getVolatile(memory, at(v, index, 4));
    }

    /**
     * Sets element {@code index} of {@code float} variable {@code v}, touching no other byte.
     *
     * @param v a variable of this view, of this accessor's width
     * @param index 0 for a scalar, else the element's index in the array
     * @param value the element's new value
     */
    public void setFloat(Variable v, int index, float value) {
        FLOAT.setVolatile(memory, writableAt(v, index, 4), value);
    }

    /**
     * Element {@code index} of {@code double} variable {@code v}.
     *
     * @param v a variable of this view, of this accessor's width
     * @param index 0 for a scalar, else the element's index in the array
     * @return the element's current value
     */
    public double getDouble(Variable v, int index) {
        return (double) DOUBLE.getVolatile(memory, at(v, index, 8));
    }

    /**
     * Sets element {@code index} of {@code double} variable {@code v}, touching no other byte.
     *
     * @param v a variable of this view, of this accessor's width
     * @param index 0 for a scalar, else the element's index in the array
     * @param value the element's new value
     */
    public void setDouble(Variable v, int index, double value) {
        DOUBLE.setVolatile(memory, writableAt(v, index, 8), value);
    }

    /** The address of element {@code index} of {@code v}, whose elements must be {@code width} bytes. */
    private long at(Variable v, int index, int width) {
        requireOwn(v);
        // C aligns a scalar (and an array of them) to its own width, so the alignment tells the element width.
        if (v.alignment() != width || v.size() % width != 0) {
            throw new IllegalArgumentException("variable '" + v.name() + "' of " + section + " holds " + v.alignment()
                    + "-byte elements (" + v.size() + " bytes at offset " + v.offset() + "), not " + width + "-byte ones");
        }
        return v.offset() + (long) Objects.checkIndex(index, (int) (v.size() / width)) * width;
    }

    private long writableAt(Variable v, int index, int width) {
        requireWritable(v);
        return at(v, index, width);
    }

    private void requireOwn(Variable v) {
        if (v.owner != this) {
            throw new IllegalArgumentException(v + " belongs to another view");
        }
    }

    private void requireWritable(Variable v) {
        if (!memory.isReadOnly()) {
            return;
        }
        String what = v == null ? "the record " + codec.recordType().getSimpleName() : "variable '" + v.name() + "'";
        throw new UnsupportedOperationException(what + " cannot be written: " + section
                + " is read-only after load (frozen, BPF_F_RDONLY_PROG): set it before load with ObjectSpec.withGlobalImage(\""
                + section + "\", image), or move the variable to .data");
    }
}
