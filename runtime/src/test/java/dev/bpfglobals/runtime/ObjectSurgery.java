package dev.bpfglobals.runtime;

import dev.bpfglobals.runtime.elf.ElfFile;
import dev.bpfglobals.runtime.elf.ElfSection;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Precise edits of a little-endian object's bytes, for tests that need one specific defect. */
final class ObjectSurgery {

    private ObjectSurgery() {
    }

    /** Overwrites the name of section {@code from} in the section name table with {@code to} (same length). */
    static void renameSection(byte[] object, String from, String to) {
        ElfFile elf = ElfFile.read(object);
        ElfSection section = elf.section(from).orElseThrow();
        ElfSection names = elf.sections().get(ByteBuffer.wrap(object).order(ByteOrder.LITTLE_ENDIAN).getShort(62));
        int nameOffset = ByteBuffer.wrap(object).order(ByteOrder.LITTLE_ENDIAN).getInt(headerOf(object, section.index()));
        byte[] replacement = to.getBytes(StandardCharsets.US_ASCII);
        if (replacement.length != from.length()) {
            throw new IllegalArgumentException("names must have the same length");
        }
        System.arraycopy(replacement, 0, object, (int) names.offset() + nameOffset, replacement.length);
    }

    /** The file offset of section {@code index}'s header. */
    static int headerOf(byte[] object, int index) {
        return (int) (ByteBuffer.wrap(object).order(ByteOrder.LITTLE_ENDIAN).getLong(40) + 64L * index);
    }

    /** Sets a 64-bit field of section {@code name}'s header: 24 offset, 32 size. */
    static void setSectionField(byte[] object, String name, int field, long value) {
        ElfSection section = ElfFile.read(object).section(name).orElseThrow();
        ByteBuffer.wrap(object).order(ByteOrder.LITTLE_ENDIAN).putLong(headerOf(object, section.index()) + field, value);
    }

    /** The file offset of the bytes of section {@code name}. */
    static int sectionStart(byte[] object, String name) {
        return (int) ElfFile.read(object).section(name).orElseThrow().offset();
    }
}
