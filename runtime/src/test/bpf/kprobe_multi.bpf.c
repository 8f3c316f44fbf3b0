// SPDX-License-Identifier: GPL-2.0
/*
 * kprobe.multi and kretprobe.multi programs counting one process's (target_tgid, set after load)
 * entries to and returns from the getpid-family handlers matched by the section's glob, so other
 * processes' calls do not disturb the counts.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

__u32 target_tgid;
__u64 entries;
__u64 returns;
__u64 listed_entries;

static __always_inline int ours(void)
{
	return (bpf_get_current_pid_tgid() >> 32) == target_tgid;
}

SEC("kprobe.multi/__x64_sys_getp*id")
int on_entries(void *ctx)
{
	if (ours())
		__sync_fetch_and_add(&entries, 1);
	return 0;
}

SEC("kretprobe.multi/__x64_sys_getp*id")
int on_returns(void *ctx)
{
	if (ours())
		__sync_fetch_and_add(&returns, 1);
	return 0;
}

SEC("kprobe.multi")
int on_listed(void *ctx)
{
	if (ours())
		__sync_fetch_and_add(&listed_entries, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
