/**
 * How programs attach, one file per attach family, and the one table of program sections.
 *
 * <p><b>The table.</b> {@link dev.bpfglobals.runtime.attach.SectionDefinitions} holds one
 * {@link dev.bpfglobals.runtime.attach.SectionDefinition} row per libbpf {@code SEC()} prefix this
 * loader knows, mirroring libbpf's {@code section_defs}: the program type, the expected attach
 * type, flags, and how the program attaches from its section alone
 * ({@link dev.bpfglobals.runtime.attach.AutoAttach}). The object reader, the loader,
 * {@code LoadedObject.attach} and the CLI's {@code inspect} all read it; no other code parses
 * section names.
 *
 * <p><b>The families.</b> Perf-event based: {@link dev.bpfglobals.runtime.attach.KprobeAttach},
 * {@link dev.bpfglobals.runtime.attach.UprobeAttach}, {@link dev.bpfglobals.runtime.attach.UsdtAttach} (USDT probes, as uprobes
 * with their argument specs in the program's maps), {@link dev.bpfglobals.runtime.attach.TracepointAttach}
 * (and raw tracepoints), {@link dev.bpfglobals.runtime.attach.PerfEventAttach}. Link based:
 * {@link dev.bpfglobals.runtime.attach.TracingAttach}, {@link dev.bpfglobals.runtime.attach.KprobeMultiAttach},
 * {@link dev.bpfglobals.runtime.attach.CgroupAttach}, {@link dev.bpfglobals.runtime.attach.TcxAttach},
 * {@link dev.bpfglobals.runtime.attach.XdpAttach} (over netlink before XDP links, 5.9).
 * Netlink based: {@link dev.bpfglobals.runtime.attach.TcAttach} (clsact filters, and TCX where the
 * kernel has it). Socket options: {@link dev.bpfglobals.runtime.attach.SocketAttach}. Each returns a
 * {@link dev.bpfglobals.runtime.attach.Link}, which detaches when closed. The syscalls they use stay in
 * the runtime's internal package, and the perf-event, netlink, tracefs and kallsyms readers in its
 * internal kernel-environment package.
 *
 * <p><b>Which to call.</b> Users attach through {@code BpfProgram}'s thin {@code attach*} methods
 * ({@code program.attachKprobe("do_unlinkat")}), which delegate here, or through
 * {@code LoadedObject.attach(name)}, which reads the table. The family classes are public because
 * {@code BpfProgram}, in another package, delegates to them; they take the program's lent
 * descriptor ({@code BpfProgram.fd()}).
 *
 * <p><b>A new program type</b> is one row in {@code SectionDefinitions} (with an {@code AutoAttach}
 * constant if its section names its target) plus its attach file here, and a thin
 * {@code BpfProgram.attach*} method delegating to it; add the type to {@code LoadedObject.SUPPORTED}
 * once the loader loads it.
 */
package dev.bpfglobals.runtime.attach;
