// SPDX-License-Identifier: GPL-2.0
/* Counts system calls per CPU, in total and per syscall number, in per-CPU globals declared by
 * the Java record dev.bpfglobals.examples.syscalls.SyscallTop. */
#include "dev.bpfglobals.examples.syscalls.SyscallTop.h"
#include <linux/bpf.h>

/* Must equal the record's @Length: numbers at or above it count in the total only. */
#define TRACKED_SYSCALLS 512

SEC("raw_tracepoint/sys_enter")
int count_syscalls(struct bpf_raw_tracepoint_args *ctx)
{
	long id = ctx->args[1];

	BPF_PERCPU(total) += 1;
	if (id >= 0 && id < TRACKED_SYSCALLS)
		BPF_PERCPU(bySyscall)[id] += 1;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
