package dev.bpfglobals.processor.layout;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The padding of a struct, nested structs and arrays of them included: bytes that hold no member.
 * A hash map compares keys byte by byte, so these are the bytes a BPF program must zero.
 */
public final class Holes {

    private Holes() {
    }

    /**
     * One run of padding bytes.
     *
     * @param offset where it starts, from the start of the outermost struct
     * @param length how many bytes
     */
    public record Hole(int offset, int length) {
        @Override
        public String toString() {
            return length + " at offset " + offset;
        }
    }

    /**
     * Every hole of {@code struct}, in offset order, tail padding included.
     *
     * @param struct the struct
     * @return its holes; empty when every byte belongs to a member
     */
    public static List<Hole> of(CType.Struct struct) {
        List<Hole> holes = new ArrayList<>();
        collect(struct, 0, holes);
        return holes;
    }

    private static void collect(CType type, int base, List<Hole> holes) {
        switch (type) {
            case CType.Struct s -> {
                int end = 0;
                for (CType.Placed member : s.placed()) {
                    if (member.offset() > end) {
                        holes.add(new Hole(base + end, member.offset() - end));
                    }
                    collect(member.type(), base + member.offset(), holes);
                    end = member.end();
                }
                if (s.size() > end) {
                    holes.add(new Hole(base + end, s.size() - end));
                }
            }
            case CType.Array a -> {
                for (int i = 0; i < a.length(); i++) {
                    collect(a.element(), base + i * a.element().size(), holes);
                }
            }
            case CType.Scalar ignored -> { }
            case CType.Enum ignored -> { }
        }
    }

    /**
     * The members of {@code struct} by decreasing alignment (stable): the order that leaves no hole
     * between them, though tail padding may remain.
     *
     * @param struct the struct
     * @return the members' names in that order
     */
    public static List<String> holeFreeOrder(CType.Struct struct) {
        return struct.fields().stream()
                .sorted(Comparator.comparingInt((CType.Field f) -> f.type().alignment()).reversed())
                .map(CType.Field::name)
                .toList();
    }
}
