package dev.bpfglobals.cli;

import dev.bpfglobals.contract.ContractJson;
import dev.bpfglobals.contract.ContractReport;
import dev.bpfglobals.contract.GlobalsContract;
import dev.bpfglobals.runtime.ObjectSpec;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code check OBJ.o (--contract X.json | --record FQCN --classpath CP)}: whether an object's
 * globals are laid out as a record says, by the contract the processor wrote for it (a file, or the
 * record's generated accessor on a class path). Exit 0 when they match; 1 with a per-variable diff
 * when they do not, so a build can stop on a stale object.
 */
@Command(name = "check", mixinStandardHelpOptions = true, versionProvider = Version.class, separator = " ",
        customSynopsis = "bpf-globals check OBJ.o (--contract X.json | --record FQCN --classpath CP)",
        description = {"Checks an object's globals against the layout a Java record declares.",
                "",
                "The record's layout comes from the contract the processor wrote (--contract), or from the"
                + " record's generated accessor on a class path (--record with --classpath). Exit 0 when they"
                + " match; 1 with each variable's difference when they do not, so that a build stops on a"
                + " stale object."},
        footer = {"", "Example:", "  bpf-globals check flow.bpf.o --record demo.Flow --classpath target/classes"})
final class CheckCommand extends CliCommand {

    @Parameters(paramLabel = "OBJ.o", description = "The BPF object file.")
    private Path object;

    @Option(names = "--contract", paramLabel = "X.json", description = "The contract (META-INF/bpf-globals/*.json).")
    private Path contractFile;

    @Option(names = "--record", paramLabel = "FQCN", description = "The record, with --classpath.")
    private String record;

    @Option(names = "--classpath", paramLabel = "CP", description = "Where the record is: dirs and jars, ':'-separated.")
    private String classpath;

    @Override
    public Integer call() throws Exception {
        if (contractFile != null && (record != null || classpath != null)) {
            throw usage("give --contract, or --record with --classpath, not both");
        }
        if (contractFile == null && (record == null || classpath == null)) {
            throw usage(record != null ? "--record without --classpath CP" : classpath != null
                    ? "--classpath without --record FQCN" : "no contract: give --contract X.json, or --record FQCN with --classpath CP");
        }
        ObjectSpec opened = ObjectSpec.open(InputFiles.requireFile(object));
        GlobalsContract contract = contractFile != null
                ? ContractJson.parse(InputFiles.readContract(contractFile))
                : RecordContracts.of(record, classpath);
        ContractReport report = opened.checkAgainst(contract);
        if (report.matches()) {
            out().println(Printable.message(object + " matches " + contract.record()));
            return 0;
        }
        out().println(Printable.message(report.describeStaleObject(object.toString())));
        return 1;
    }
}
