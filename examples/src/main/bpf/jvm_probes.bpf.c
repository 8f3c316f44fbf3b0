// SPDX-License-Identifier: GPL-2.0
/* Traces the JVM through its own USDT probes: HotSpot's thread__start and gc__begin/gc__end of
 * libjvm.so, counted per CPU in .percpu globals declared by the Java record
 * dev.bpfglobals.examples.jvm.JvmProbes, with GC pause lengths in a log2 histogram. The probes'
 * arguments are read with libbpf's usdt.bpf.h, whose maps the Java loader fills at attach. Each
 * section names its probe, so `bpf-globals load --attach` attaches it from the CLI alone; libjvm.so
 * is found as libbpf finds a library (LD_LIBRARY_PATH, the system's library directories), else it is
 * the libjvm.so of the JDK the loader itself runs on. */
#include "dev.bpfglobals.examples.jvm.JvmProbes.h"
#include <linux/bpf.h>
#include <linux/ptrace.h>
#include <stdbool.h>
#ifndef __TARGET_ARCH_x86
#define __TARGET_ARCH_x86 /* HotSpot's probe arguments are x86-64 operands here */
#endif
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/usdt.bpf.h>

/* Must equal the record's @Length of gcPauseNs. */
#define PAUSE_SLOTS 40

/* When the running GC pause began, by the thread that runs it (HotSpot's VM thread). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u64);
} gc_began SEC(".maps");

static __always_inline bool traced(void)
{
	return !targetPid || (bpf_get_current_pid_tgid() >> 32) == targetPid;
}

/* The smallest i with value <= 2^i: the histogram's slot for value. */
static __always_inline __u32 pause_slot(__u64 value)
{
	__u32 slot = 0;

	if (value <= 1)
		return 0;
	value -= 1;
	if (value >> 32) { value >>= 32; slot += 32; }
	if (value >> 16) { value >>= 16; slot += 16; }
	if (value >> 8) { value >>= 8; slot += 8; }
	if (value >> 4) { value >>= 4; slot += 4; }
	if (value >> 2) { value >>= 2; slot += 2; }
	if (value >> 1) { slot += 1; }
	slot += 1;
	return slot < PAUSE_SLOTS ? slot : PAUSE_SLOTS - 1;
}

/* hotspot:thread__start(name, name length, Java thread id, native thread id, is daemon) */
SEC("usdt/libjvm.so:hotspot:thread__start")
int BPF_USDT(thread_start, long name, long name_length, long java_tid, long native_tid, long daemon)
{
	if (traced())
		BPF_PERCPU(threadsStarted) += 1;
	return 0;
}

/* hotspot:gc__begin(is full) */
SEC("usdt/libjvm.so:hotspot:gc__begin")
int BPF_USDT(gc_begin, long full)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	__u64 now = bpf_ktime_get_ns();

	if (!traced())
		return 0;
	BPF_PERCPU(gcBegins) += 1;
	bpf_map_update_elem(&gc_began, &tid, &now, BPF_ANY);
	return 0;
}

/* hotspot:gc__end() */
SEC("usdt/libjvm.so:hotspot:gc__end")
int gc_end(struct pt_regs *ctx)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	__u64 *began;

	if (!traced())
		return 0;
	BPF_PERCPU(gcEnds) += 1;
	began = bpf_map_lookup_elem(&gc_began, &tid);
	if (began) {
		BPF_PERCPU(gcPauseNs)[pause_slot(bpf_ktime_get_ns() - *began)] += 1;
		bpf_map_delete_elem(&gc_began, &tid);
	}
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
