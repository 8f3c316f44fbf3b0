// SPDX-License-Identifier: GPL-2.0
/*
 * Counts entries to and returns from the kernel's getpid handler made by one process (the test's,
 * set in target_tgid after load), so other processes' getpid calls do not disturb the counts.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

__u32 target_tgid;
__u64 entries;
__u64 returns;
__u64 syscall_entries;

static __always_inline int ours(void)
{
	return (bpf_get_current_pid_tgid() >> 32) == target_tgid;
}

SEC("kprobe/__x64_sys_getpid")
int on_entry(void *ctx)
{
	if (ours())
		__sync_fetch_and_add(&entries, 1);
	return 0;
}

SEC("kretprobe/__x64_sys_getpid")
int on_return(void *ctx)
{
	if (ours())
		__sync_fetch_and_add(&returns, 1);
	return 0;
}

SEC("ksyscall/getpid")
int on_syscall(void *ctx)
{
	if (ours())
		__sync_fetch_and_add(&syscall_entries, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
