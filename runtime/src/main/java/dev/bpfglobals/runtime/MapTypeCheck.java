package dev.bpfglobals.runtime;

import dev.bpfglobals.contract.ValueType;
import dev.bpfglobals.contract.ValueTypeComparison;
import dev.bpfglobals.runtime.btf.Btf;
import dev.bpfglobals.runtime.btf.BtfValueTypes;
import dev.bpfglobals.runtime.kernel.MapInfo;
import java.util.Optional;

/**
 * The check a typed map makes when it binds: the map's key and value sizes against the codecs'
 * and, where the map was created with BTF for its key or value, that C type against the codec's,
 * so that a map declared with another struct is refused before a byte is read under the wrong names.
 */
final class MapTypeCheck {

    private MapTypeCheck() {
    }

    /** Refuses {@code map} with the first difference from {@code keys} and {@code values}. */
    static void check(BpfMap map, MapCodec<?> keys, MapCodec<?> values) {
        MapInfo info = map.info();
        checkSize(info, "key", info.keySize(), keys);
        checkSize(info, "value", info.valueSize(), values);
        if (info.btfId() == 0 || (info.btfKeyTypeId() == 0 && info.btfValueTypeId() == 0)) {
            return; // a map without BTF: the sizes are all there is to check
        }
        Optional<Btf> btf = map.btf();
        if (btf.isEmpty()) {
            return;
        }
        if (info.btfKeyTypeId() != 0) {
            checkType(info, "key", keys, BtfValueTypes.of(btf.get(), info.btfKeyTypeId()));
        }
        if (info.btfValueTypeId() != 0) {
            checkType(info, "value", values, BtfValueTypes.of(btf.get(), info.btfValueTypeId()));
        }
    }

    private static void checkSize(MapInfo info, String side, int size, MapCodec<?> codec) {
        if (size != codec.size()) {
            throw new MapTypeMismatchException(describe(info) + " has " + size + "-byte " + side + "s, but " + name(codec)
                    + " is " + codec.size() + " bytes");
        }
    }

    private static void checkType(MapInfo info, String side, MapCodec<?> codec, ValueType btfType) {
        ValueTypeComparison.firstDifference(codec.cType(), btfType).ifPresent(difference -> {
            throw new MapTypeMismatchException(describe(info) + " " + side + " (" + btfType.cName() + " in its BTF) does not match "
                    + name(codec) + ": " + difference);
        });
    }

    private static String describe(MapInfo info) {
        return "map '" + info.name() + "' (" + info.typeName() + ")";
    }

    /** The codec as a user knows it: its Java type and the C type it writes. */
    private static String name(MapCodec<?> codec) {
        return codec.javaType().getSimpleName() + " (" + codec.cType().cName() + ")";
    }
}
