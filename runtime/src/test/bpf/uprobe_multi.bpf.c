// SPDX-License-Identifier: GPL-2.0
/*
 * uprobe.multi and uretprobe.multi programs, as libbpf's SEC("uprobe.multi") names them: one link
 * each over many functions of one file. on_entries and on_returns count one process's calls
 * (target_tgid, set after load) of whatever the test attaches them to; in_any_process counts every
 * call it sees, for a link the kernel filters to one pid; on_getpid attaches from its section, a
 * glob over libc's .dynsym; on_sleepable loads sleepable (uprobe.multi.s) and says so by calling
 * bpf_copy_from_user, which the verifier allows sleepable programs alone (it is '?': loaded where the
 * leg has uprobe_multi links).
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

__u32 target_tgid;
__u64 entries;
__u64 returns;
__u64 any_process_entries;
__u64 getpid_calls;
__u64 sleepable_entries;

static __always_inline int ours(void)
{
	return (bpf_get_current_pid_tgid() >> 32) == target_tgid;
}

SEC("uprobe.multi")
int on_entries(void *ctx)
{
	if (ours())
		__sync_fetch_and_add(&entries, 1);
	return 0;
}

SEC("uretprobe.multi")
int on_returns(void *ctx)
{
	if (ours())
		__sync_fetch_and_add(&returns, 1);
	return 0;
}

SEC("uprobe.multi")
int in_any_process(void *ctx)
{
	__sync_fetch_and_add(&any_process_entries, 1);
	return 0;
}

SEC("uprobe.multi/libc.so.6:getp*id")
int on_getpid(void *ctx)
{
	if (ours())
		__sync_fetch_and_add(&getpid_calls, 1);
	return 0;
}

SEC("?uprobe.multi.s")
int on_sleepable(void *ctx)
{
	char byte;

	if (ours()) {
		bpf_copy_from_user(&byte, 1, (void *)0);
		__sync_fetch_and_add(&sleepable_entries, 1);
	}
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
