// SPDX-License-Identifier: GPL-2.0
/*
 * BPF iterators, built on the running kernel's vmlinux.h: two over every task, each keeping the
 * threads of one process (target_tgid, set after load), one printing "tgid tid" lines with
 * BPF_SEQ_PRINTF, one writing a binary record per thread with bpf_seq_write; and one over the
 * elements of a hash map, writing each key and value as a record ('?': loaded where the leg states
 * map iterators, which this project's 6.18 host refuses with EPERM, to libbpf too).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

__u32 target_tgid;

struct thread_record {
	__u32 tgid;
	__u32 tid;
};

struct element_record {
	__u32 key;
	__u64 value;
} __attribute__((packed));

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} walked SEC(".maps");

SEC("iter/task")
int print_threads(struct bpf_iter__task *ctx)
{
	struct seq_file *seq = ctx->meta->seq;
	struct task_struct *task = ctx->task;

	if (task && task->tgid == target_tgid)
		BPF_SEQ_PRINTF(seq, "%d %d\n", task->tgid, task->pid);
	return 0;
}

SEC("iter/task")
int write_threads(struct bpf_iter__task *ctx)
{
	struct task_struct *task = ctx->task;
	struct thread_record record;

	if (!task || task->tgid != target_tgid)
		return 0;
	record.tgid = task->tgid;
	record.tid = task->pid;
	bpf_seq_write(ctx->meta->seq, &record, sizeof(record));
	return 0;
}

SEC("?iter/bpf_map_elem")
int write_elements(struct bpf_iter__bpf_map_elem *ctx)
{
	__u32 *key = ctx->key;
	__u64 *value = ctx->value;
	struct element_record record;

	if (!key || !value)
		return 0;
	record.key = *key;
	record.value = *value;
	bpf_seq_write(ctx->meta->seq, &record, sizeof(record));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
