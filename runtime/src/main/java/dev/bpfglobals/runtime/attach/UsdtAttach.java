package dev.bpfglobals.runtime.attach;

import dev.bpfglobals.runtime.internal.Links;
import dev.bpfglobals.runtime.internal.kernelenv.PerfEvents;
import dev.bpfglobals.runtime.elf.StapsdtNotes;
import dev.bpfglobals.runtime.kernel.BpfFd;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Attaches KPROBE programs to USDT probes (statically defined tracepoints, {@code <sys/sdt.h>}'s
 * {@code STAP_PROBE}, HotSpot's {@code hotspot:gc__begin}), as libbpf's {@code usdt.c} does: the
 * probe's sites come from the file's {@code .note.stapsdt} ({@link StapsdtNotes}), each becomes a
 * uprobe at its file offset (with its semaphore as the uprobe's {@code ref_ctr_offset}), each
 * site's argument specs become a {@code struct __bpf_usdt_spec} in the program's
 * {@code __bpf_usdt_specs} map, and the site's uprobe link carries that spec's id as its BPF
 * cookie, which is how {@code usdt.bpf.h}'s {@code bpf_usdt_arg()} and {@code BPF_USDT} find it;
 * where the site's address is known, {@code __bpf_usdt_ip_to_spec_id} maps it to the same id, for
 * kernels without cookies.
 * Sites with the same argument specs share one spec id. Section form:
 * {@code usdt/PATH:PROVIDER:NAME}.
 */
public final class UsdtAttach {

    private UsdtAttach() {
    }

    /**
     * Attaches {@code program} to every site of USDT probe {@code provider:name} in {@code binary},
     * in process {@code pid} alone or, with -1, in every process that runs the file.
     *
     * @param program the program's descriptor, which stays the caller's
     * @param binary the ELF executable or shared library that defines the probe
     * @param provider the probe's provider, e.g. {@code hotspot}
     * @param name the probe's name, e.g. {@code gc__begin}
     * @param pid the process to trace, or -1 for every process
     * @return one link over all the probe's sites, which detaches them all when closed
     * @throws IllegalArgumentException     where the file lacks the probe, a site's argument spec
     *                                      cannot be read, or the kernel refuses a uprobe
     * @throws UnsupportedOperationException where the kernel has no uprobes
     */
    public static Link attach(BpfFd program, Path binary, String provider, String name, int pid) {
        String what = "USDT " + provider + ":" + name + " in " + binary + (pid < 0 ? "" : " of pid " + pid);
        if (pid < -1) {
            throw new IllegalArgumentException(what + ": pid " + pid + " is neither a process id nor -1 (every process)");
        }
        List<StapsdtNotes.Probe> sites = StapsdtNotes.read(binary).stream()
                .filter(p -> p.provider().equals(provider) && p.name().equals(name)).toList();
        if (sites.isEmpty()) {
            throw new IllegalArgumentException(what + ": the file has no such USDT probe in its .note.stapsdt "
                    + "(list them with readelf -n " + binary + ")");
        }
        // Every site's spec is parsed before anything is attached, so a bad one refuses the whole probe.
        Map<String, UsdtSpec> specs = new LinkedHashMap<>();
        for (StapsdtNotes.Probe site : sites) {
            specs.computeIfAbsent(site.arguments(), a -> UsdtSpec.parse(provider + ":" + name + " in " + binary, a, 0));
        }
        Optional<UsdtSpecMaps.UsedMap> specsMap = UsdtSpecMaps.find(program, UsdtSpecMaps.SPECS);
        Optional<UsdtSpecMaps.UsedMap> ipMap = Optional.empty();
        List<Integer> ids;
        List<OptionalLong> addresses;
        try {
            // For kernels without cookies: where each site runs, to be mapped to its spec id, as far as it is known.
            ipMap = specsMap.isEmpty() ? Optional.empty() : UsdtSpecMaps.find(program, UsdtSpecMaps.IP_TO_SPEC_ID);
            addresses = ipMap.isEmpty() ? List.of() : UsdtAddresses.of(binary, pid, sites);
            ids = specsMap.map(m -> UsdtSpecMaps.store(m, List.copyOf(specs.values()), what)).orElse(List.of());
        } catch (RuntimeException e) {
            ipMap.ifPresent(m -> m.fd().close());
            throw e;
        } finally {
            specsMap.ifPresent(m -> m.fd().close());
        }
        List<String> keys = List.copyOf(specs.keySet());
        List<Integer> siteIds = sites.stream().map(site -> ids.isEmpty() ? 0 : ids.get(keys.indexOf(site.arguments()))).toList();
        Optional<UsdtSpecMaps.UsedMap> addressMap = ipMap;
        Runnable release = () -> {
            addressMap.ifPresent(m -> {
                for (int i = 0; i < addresses.size(); i++) {
                    int site = i;
                    addresses.get(i).ifPresent(ip -> UsdtSpecMaps.unmapAddress(m, ip, siteIds.get(site)));
                }
                m.fd().close();
            });
            specsMap.ifPresent(m -> UsdtSpecMaps.release(m.info().id(), ids));
        };
        List<BpfFd> owned = new ArrayList<>();
        try {
            for (int i = 0; i < addresses.size(); i++) {
                int site = i;
                addresses.get(i).ifPresent(ip -> UsdtSpecMaps.mapAddress(addressMap.orElseThrow(), ip, siteIds.get(site)));
            }
            for (int i = 0; i < sites.size(); i++) {
                StapsdtNotes.Probe site = sites.get(i);
                String at = what + " at 0x" + Long.toHexString(site.fileOffset());
                BpfFd event = PerfEvents.uprobe(binary, site.fileOffset(), site.semaphoreOffset(), pid, false, at);
                owned.add(event);
                Optional<BpfFd> link = Links.attachPerfEvent(program, event, siteIds.get(i), at);
                boolean addressed = i < addresses.size() && addresses.get(i).isPresent();
                if (link.isEmpty() && !ids.isEmpty() && !addressed) {
                    throw new UnsupportedOperationException(what + ": this kernel makes no BPF links on perf events (before "
                            + "5.15), so bpf_usdt_arg() finds a site's spec by its address, which a shared library or PIE has "
                            + "only in one process: give a pid");
                }
                link.ifPresent(l -> owned.add(owned.size() - 1, l));
            }
            return Link.thenRun(what, release, owned.toArray(BpfFd[]::new));
        } catch (RuntimeException e) {
            owned.forEach(BpfFd::close);
            release.run();
            throw e;
        }
    }

    /** Attaches {@code program} where its section {@code usdt/PATH:PROVIDER:NAME} says, in every process. */
    static Link section(BpfFd program, AutoAttach.Section s) {
        int nameColon = s.target().lastIndexOf(':');
        int providerColon = nameColon <= 0 ? -1 : s.target().lastIndexOf(':', nameColon - 1);
        if (providerColon <= 0 || nameColon == providerColon + 1 || nameColon == s.target().length() - 1) {
            throw new IllegalArgumentException("program '" + s.program() + "' in section '" + s.section() + "': a usdt section "
                    + "names PATH:PROVIDER:NAME (e.g. usdt/libjvm.so:hotspot:gc__begin); for another target use "
                    + "BpfProgram.attachUsdt(binary, provider, name, pid)");
        }
        Path binary = UprobeSection.resolve(s.program(), s.section(), s.target().substring(0, providerColon));
        return attach(program, binary, s.target().substring(providerColon + 1, nameColon), s.target().substring(nameColon + 1), -1);
    }
}
