package dev.bpfglobals.runtime.attach;

import dev.bpfglobals.runtime.elf.StapsdtNotes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * Where a USDT site runs in a process: the instruction pointer a program sees there
 * ({@code PT_REGS_IP}), which {@code usdt.bpf.h} looks up in {@code __bpf_usdt_ip_to_spec_id} on
 * kernels without BPF cookies, as libbpf's {@code usdt.c} computes it: an executable linked at
 * fixed addresses runs the site at its address in every process; a shared library or a PIE runs it
 * where process {@code pid} mapped the file, which {@code /proc/PID/maps} says. Without a pid, such
 * a file's sites have no one address.
 */
final class UsdtAddresses {

    private UsdtAddresses() {
    }

    /** The instruction pointer of {@code sites} in {@code pid} (or every process, -1), each; empty where there is none. */
    static List<OptionalLong> of(Path binary, int pid, List<StapsdtNotes.Probe> sites) {
        if (StapsdtNotes.isFixedAddress(binary)) {
            return sites.stream().map(site -> OptionalLong.of(site.address())).toList();
        }
        if (pid <= 0) {
            return sites.stream().map(site -> OptionalLong.empty()).toList();
        }
        List<String> maps;
        Path real;
        try {
            maps = Files.readAllLines(Path.of("/proc", Integer.toString(pid), "maps"));
            real = binary.toRealPath();
        } catch (IOException e) {
            return sites.stream().map(site -> OptionalLong.empty()).toList(); // the process is gone: nothing to map
        }
        return sites.stream().map(site -> mapped(maps, real.toString(), site.fileOffset())).toList();
    }

    /** The address at which {@code maps} (lines of /proc/PID/maps) shows byte {@code fileOffset} of {@code file}. */
    static OptionalLong mapped(List<String> maps, String file, long fileOffset) {
        for (String line : maps) {
            // start-end perms offset dev inode path
            String[] fields = line.trim().split("\\s+", 6);
            if (fields.length < 6 || !fields[5].equals(file) || fields[1].indexOf('x') < 0) {
                continue;
            }
            int dash = fields[0].indexOf('-');
            long start = Long.parseUnsignedLong(fields[0].substring(0, dash), 16);
            long end = Long.parseUnsignedLong(fields[0].substring(dash + 1), 16);
            long offset = Long.parseUnsignedLong(fields[2], 16);
            if (fileOffset >= offset && fileOffset - offset < end - start) {
                return OptionalLong.of(start + fileOffset - offset);
            }
        }
        return OptionalLong.empty();
    }
}
