package dev.bpfglobals.cli;

import dev.bpfglobals.runtime.BpfFeatures;
import picocli.CommandLine.Command;

/** {@code features}: what the running kernel offers this library, one probe a line, as {@link BpfFeatures} found it. */
@Command(name = "features", mixinStandardHelpOptions = true, versionProvider = Version.class, separator = " ",
        customSynopsis = "bpf-globals features",
        description = {"Probes what the running kernel offers the loader.",
                "",
                "One probe a line: native .percpu globals, BPF_F_ALL_CPUS and the others the loader adapts"
                + " to. Needs CAP_BPF."},
        footer = {"", "Example:", "  bpf-globals features"})
final class FeaturesCommand extends CliCommand {

    @Override
    public Integer call() {
        BpfFeatures.probe().details().lines().map(Printable::message).forEach(out()::println);
        return 0;
    }
}
