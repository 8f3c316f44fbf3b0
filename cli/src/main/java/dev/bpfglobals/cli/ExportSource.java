package dev.bpfglobals.cli;

import dev.bpfglobals.contract.ContractJson;
import dev.bpfglobals.contract.GlobalsContract;
import dev.bpfglobals.contract.MapType;
import dev.bpfglobals.contract.SectionContract;
import dev.bpfglobals.exporter.ContractCheck;
import dev.bpfglobals.exporter.ExportedVariable;
import dev.bpfglobals.exporter.GlobalsCollector;
import dev.bpfglobals.exporter.HashMapCollector;
import dev.bpfglobals.exporter.MetricNames;
import dev.bpfglobals.exporter.SectionSource;
import dev.bpfglobals.exporter.SourcesCollector;
import dev.bpfglobals.runtime.BpfMap;
import dev.bpfglobals.runtime.MapAccess;
import dev.bpfglobals.runtime.PerCpuArrayMap;
import dev.bpfglobals.runtime.kernel.MapInfo;
import io.prometheus.metrics.model.registry.MultiCollector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * One {@code export} source, {@code PIN}, {@code PIN=CONTRACT.json} or {@code PIN=record:FQCN}: a
 * pinned global-section map (a PERCPU_ARRAY or ARRAY of one entry) opened read-only, its variables
 * named by a contract's section (from a file, or from the record's generated accessor found on
 * {@code --classpath}) or else by the map's BTF, as a collector. Owns the map.
 *
 * @param spec      the source as given on the command line
 * @param collector its metrics: a {@link GlobalsCollector}, or for a {@code --map} source a {@link HashMapCollector}
 * @param map       the open map, closed with this source
 */
record ExportSource(String spec, MultiCollector collector, AutoCloseable map) implements AutoCloseable {

    /** The part of a source after {@code =} that names a record rather than a contract file. */
    static final String RECORD = "record:";

    /**
     * Opens {@code spec}; a {@code record:FQCN} contract is looked up on {@code classpath} (entries
     * separated by {@code :}; may be empty, then on the tool's own class path).
     *
     * @throws IllegalArgumentException one line saying what is wrong with the source
     * @throws IllegalStateException    one line, for a record whose accessor was not generated
     */
    static ExportSource open(String spec, boolean perCpuSeries, String classpath) {
        return open(spec, perCpuSeries, classpath, label(spec));
    }

    /** The {@code source} label of {@code spec}'s series: its pin, as an absolute path. */
    static String label(String spec) {
        int split = spec.indexOf('=');
        return Path.of(split < 0 ? spec : spec.substring(0, split)).toAbsolutePath().normalize().toString();
    }

    /** Opens {@code spec} as {@link #open(String, boolean, String)} does, its series labelled {@code source=label}. */
    static ExportSource open(String spec, boolean perCpuSeries, String classpath, String label) {
        int split = spec.indexOf('=');
        Path pin = Path.of(split < 0 ? spec : spec.substring(0, split));
        String contractName = split < 0 ? null : spec.substring(split + 1);
        if (!Files.exists(pin)) {
            throw new IllegalArgumentException("no pinned map at " + pin);
        }
        GlobalsContract contract = contractName == null ? null
                : contractName.startsWith(RECORD) ? RecordContracts.of(contractName.substring(RECORD.length()), classpath)
                : readContract(Path.of(contractName));
        BpfMap reader = BpfMap.openPinned(pin, MapAccess.READ_ONLY);
        AutoCloseable open = reader;
        try {
            MapInfo info = reader.info();
            MapType type = info.type().orElse(null);
            if (type != MapType.PERCPU_ARRAY && type != MapType.ARRAY || info.maxEntries() != 1 || info.keySize() != 4) {
                throw new IllegalArgumentException("map '" + info.name() + "' is a " + info.typeName() + " of " + info.maxEntries()
                        + " entries, not a global-section map (a PERCPU_ARRAY or ARRAY of one entry)");
            }
            List<ExportedVariable> variables;
            String prefix;
            String sectionName;
            if (contract != null) {
                SectionContract section = section(contract, contractName, reader);
                ContractCheck.check(info, MapBtfVariables.btfLayout(reader, section.name()), section);
                variables = ExportedVariable.of(section);
                prefix = MetricNames.ofRecord(contract.record());
                sectionName = section.name();
            } else {
                MapBtfVariables.Layout layout = MapBtfVariables.of(reader);
                variables = layout.variables();
                prefix = MetricNames.ofSection(layout.sectionName());
                sectionName = layout.sectionName();
            }
            if (variables.isEmpty()) {
                throw new IllegalArgumentException("map '" + info.name() + "' has no integer variables to export");
            }
            SectionSource source;
            if (type == MapType.PERCPU_ARRAY) {
                reader.close();
                PerCpuArrayMap map = PerCpuArrayMap.openPinned(pin, MapAccess.READ_ONLY);
                open = map;
                source = SectionSource.of(map);
            } else {
                source = new ArrayMapSource(reader);
            }
            GlobalsCollector collector = GlobalsCollector.builder(source, variables, prefix, sectionName)
                    .perCpuSeries(perCpuSeries).label(SourcesCollector.LABEL, label).build();
            return new ExportSource(spec, collector, open);
        } catch (RuntimeException e) {
            closeQuietly(open, e);
            throw e;
        }
    }

    /**
     * Opens a {@code --map} source: a pinned hash map, read-only, one series per entry, its series
     * labelled {@code source=label}; the one warning of a truncated scrape goes to {@code warnings}.
     *
     * @throws IllegalArgumentException one line saying what is wrong with the map or the option
     */
    static ExportSource openMap(MapOption option, String label, Consumer<String> warnings) {
        Path pin = Path.of(option.pin());
        if (!Files.exists(pin)) {
            throw new IllegalArgumentException("no pinned map at " + pin);
        }
        BpfMap map = BpfMap.openPinned(pin, MapAccess.READ_ONLY);
        try {
            HashMapCollector.Builder builder = HashMapCollector.builder(map).labelNames(option.labels())
                    .maxSeries(option.maxSeries()).label(SourcesCollector.LABEL, label).warnings(warnings);
            if (option.metric() != null) {
                builder.name(option.metric());
            }
            if (option.counter() != null) {
                builder.counter(option.counter());
            }
            return new ExportSource(option.pin(), builder.build(), map);
        } catch (RuntimeException e) {
            closeQuietly(map, e);
            throw e;
        }
    }

    private static GlobalsContract readContract(Path file) {
        try {
            return ContractJson.parse(InputFiles.readContract(file));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read contract " + file + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage());
        }
    }

    /** The contract's section for this map: the one of its map type, or, if several, the one its BTF names. */
    private static SectionContract section(GlobalsContract contract, String source, BpfMap reader) {
        MapInfo info = reader.info();
        List<SectionContract> candidates = contract.sections().stream()
                .filter(s -> s.mapType() == info.type().orElse(null)).toList();
        if (candidates.size() > 1) {
            String name = MapBtfVariables.sectionName(reader).orElse(null);
            candidates = candidates.stream().filter(s -> s.name().equals(name)).toList();
        }
        if (candidates.size() != 1) {
            throw new IllegalArgumentException("contract " + source + " (" + contract.record() + ") has no section for map '"
                    + info.name() + "', a " + info.typeName() + (candidates.isEmpty() ? "" : " without a BTF section name"));
        }
        return candidates.getFirst();
    }

    private static void closeQuietly(AutoCloseable open, RuntimeException failure) {
        try {
            open.close();
        } catch (Exception e) {
            failure.addSuppressed(e);
        }
    }

    @Override
    public void close() throws Exception {
        map.close();
    }
}
