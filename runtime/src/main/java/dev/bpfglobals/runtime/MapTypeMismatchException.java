package dev.bpfglobals.runtime;

/**
 * A map's keys or values are not what a typed map's codecs read and write: their sizes differ, or
 * the map's BTF describes another C type. The message names the first difference, in one line.
 */
public final class MapTypeMismatchException extends RuntimeException {

    /**
     * A mismatch, described in one line.
     *
     * @param message the map, the side (key or value), the codec and the first difference
     */
    public MapTypeMismatchException(String message) {
        super(message);
    }
}
