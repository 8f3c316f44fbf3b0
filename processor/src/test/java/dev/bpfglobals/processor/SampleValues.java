package dev.bpfglobals.processor;

import dev.bpfglobals.annotations.Length;
import java.lang.reflect.Array;
import java.lang.reflect.RecordComponent;

/** Builds record instances whose every field holds a distinct, non-zero value. */
final class SampleValues {

    private int next = 1;

    /** A {@code type} instance filled with distinct values derived from a running counter. */
    Object of(Class<?> type) throws ReflectiveOperationException {
        RecordComponent[] components = type.getRecordComponents();
        Object[] args = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            Length length = components[i].getAnnotation(Length.class);
            args[i] = value(types[i], length == null ? 0 : length.value());
        }
        return type.getDeclaredConstructor(types).newInstance(args);
    }

    private Object value(Class<?> type, int length) throws ReflectiveOperationException {
        if (type.isArray()) {
            Object array = Array.newInstance(type.getComponentType(), length);
            for (int i = 0; i < length; i++) {
                Array.set(array, i, value(type.getComponentType(), 0));
            }
            return array;
        }
        int n = next++;
        if (type == byte.class) {
            return (byte) (n * 37);
        } else if (type == short.class) {
            return (short) (n * 4099);
        } else if (type == int.class) {
            return n * 0x01010101 + 0x40000000;
        } else if (type == long.class) {
            return n * 0x0101010101010101L + Long.MIN_VALUE / 3;
        } else if (type == boolean.class) {
            return n % 2 == 1;
        } else if (type == char.class) {
            return (char) (0x4e00 + n);
        } else if (type.isEnum()) {
            Object[] constants = type.getEnumConstants();
            return constants[n % constants.length];
        } else if (type.isRecord()) {
            return of(type);
        }
        throw new IllegalArgumentException("no sample for " + type);
    }
}
