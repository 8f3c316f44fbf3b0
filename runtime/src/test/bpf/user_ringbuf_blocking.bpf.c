// SPDX-License-Identifier: GPL-2.0
/*
 * Drains a user ring buffer on every system call of one thread (drainer_tid, set from Java), so a
 * test decides which thread drains and when: a writer blocked for room waits for that thread.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_USER_RINGBUF);
	__uint(max_entries, 4096);
} requests SEC(".maps");

__u32 drainer_tid;
__u64 records;
__u64 sum;

static long take(struct bpf_dynptr *record, void *ctx)
{
	__u64 value = 0;

	if (bpf_dynptr_read(&value, sizeof(value), record, 0, 0) == 0)
		sum += value;
	records++;
	return 0;
}

SEC("raw_tp/sys_enter")
int drain_on_syscall(void *ctx)
{
	if (drainer_tid == 0 || (__u32)bpf_get_current_pid_tgid() != drainer_tid)
		return 0;
	bpf_user_ringbuf_drain(&requests, take, 0, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
