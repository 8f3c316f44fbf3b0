// SPDX-License-Identifier: GPL-2.0
/*
 * Counts one process's getpid calls (the test's, set in target_tgid after load) at the syscall
 * tracepoints, one program spelled each of libbpf's two ways: tracepoint/ and tp/.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

__u32 target_tgid;
__u64 enters;
__u64 exits;

static __always_inline int ours(void)
{
	return (bpf_get_current_pid_tgid() >> 32) == target_tgid;
}

SEC("tracepoint/syscalls/sys_enter_getpid")
int on_enter(void *ctx)
{
	if (ours())
		__sync_fetch_and_add(&enters, 1);
	return 0;
}

SEC("tp/syscalls/sys_exit_getpid")
int on_exit(void *ctx)
{
	if (ours())
		__sync_fetch_and_add(&exits, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
