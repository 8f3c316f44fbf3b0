package dev.bpfglobals.skeleton.signing;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;

/**
 * The few DER encodings a PKCS#7 signature needs: definite lengths, SEQUENCE, SET, context tags,
 * INTEGER, OBJECT IDENTIFIER, NULL and OCTET STRING. Each method returns a whole encoded element.
 */
final class Der {

    private Der() {
    }

    static byte[] sequence(byte[]... elements) {
        return element(0x30, concat(elements));
    }

    /** A SET OF with one element (the only kind a signature here needs, so no DER sorting). */
    static byte[] setOf(byte[] element) {
        return element(0x31, element);
    }

    /** A constructed, context-specific {@code [tag]} around {@code content} (EXPLICIT). */
    static byte[] explicit(int tag, byte[] content) {
        return element(0xa0 | tag, content);
    }

    static byte[] integer(BigInteger value) {
        return element(0x02, value.toByteArray());
    }

    static byte[] integer(long value) {
        return integer(BigInteger.valueOf(value));
    }

    static byte[] octetString(byte[] content) {
        return element(0x04, content);
    }

    static byte[] nul() {
        return new byte[] {0x05, 0x00};
    }

    /** An OBJECT IDENTIFIER from its dotted form, e.g. {@code 1.2.840.113549.1.7.2}. */
    static byte[] oid(String dotted) {
        String[] arcs = dotted.split("\\.");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        base128(out, Long.parseLong(arcs[0]) * 40 + Long.parseLong(arcs[1]));
        for (int i = 2; i < arcs.length; i++) {
            base128(out, Long.parseLong(arcs[i]));
        }
        return element(0x06, out.toByteArray());
    }

    private static void base128(ByteArrayOutputStream out, long value) {
        int groups = Math.max(1, (64 - Long.numberOfLeadingZeros(value) + 6) / 7);
        for (int i = groups - 1; i >= 0; i--) {
            out.write((int) ((value >>> (7 * i)) & 0x7f) | (i == 0 ? 0 : 0x80));
        }
    }

    static byte[] element(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int length = content.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            int bytes = (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(length >>> (8 * i));
            }
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
