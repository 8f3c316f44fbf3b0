// SPDX-License-Identifier: GPL-2.0
/*
 * uprobes and uretprobes, as libbpf's SEC("uprobe") names them, counting the calls one process
 * (target_tgid, set after load) makes: of a function of a program UprobeAttachTest compiles
 * (attached by the test, which knows its path), and of libc's getpid (attached from the section,
 * which names the library as libbpf finds it).
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

__u32 target_tgid;
__u64 entries;
__u64 returns;
__u64 getpid_calls;

static __always_inline int ours(void)
{
	return (bpf_get_current_pid_tgid() >> 32) == target_tgid;
}

SEC("uprobe")
int on_entry(void *ctx)
{
	if (ours())
		__sync_fetch_and_add(&entries, 1);
	return 0;
}

SEC("uretprobe")
int on_return(void *ctx)
{
	if (ours())
		__sync_fetch_and_add(&returns, 1);
	return 0;
}

SEC("uprobe/libc.so.6:getpid")
int on_getpid(void *ctx)
{
	if (ours())
		__sync_fetch_and_add(&getpid_calls, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
