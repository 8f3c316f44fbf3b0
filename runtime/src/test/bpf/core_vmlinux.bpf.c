// SPDX-License-Identifier: GPL-2.0
/*
 * CO-RE the libbpf-bootstrap way: built on the running kernel's vmlinux.h, every access to a
 * kernel struct (and to __sk_buff) is a CO-RE relocation the loader resolves against kernel BTF.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

/* Flavours: the part after ___ is ignored when matching kernel types. */
struct task_struct___mine {
	int no_such_field;
	int pid;
} __attribute__((preserve_access_index));

struct no_such_kernel_type {
	int x;
};

enum bpf_map_type___mine {
	BPF_MAP_TYPE_NO_SUCH_TYPE___mine = 1000,
	BPF_MAP_TYPE_RINGBUF___mine = 1,
};

__u64 pid_tgid;
int pid;
int tgid;
int flavoured_pid;
int pid_exists;
int missing_exists;
int missing_read;
int task_exists;
int missing_type_exists;
__u64 task_size;
__u32 pid_size;
__u32 pid_offset;
__u64 ringbuf_value;
int ringbuf_exists;
int missing_value_exists;
__u32 task_type_id;
int sub_pid;
__u32 bitfield_offset;
__u32 bitfield_size;
__u32 bitfield_lshift;
__u32 bitfield_rshift;
__u32 bitfield_signed;
__u32 prio_signed;

/* A subprogram's relocations are counted from its own start, then rebased where it is appended. */
static __noinline int task_pid(struct task_struct *task)
{
	return BPF_CORE_READ(task, pid);
}

SEC("raw_tp/sys_enter")
int read_task(void *ctx)
{
	struct task_struct *task = (void *)bpf_get_current_task();
	struct task_struct___mine *mine = (void *)task;

	pid_tgid = bpf_get_current_pid_tgid();
	pid = BPF_CORE_READ(task, pid);
	tgid = BPF_CORE_READ(task, tgid);
	flavoured_pid = BPF_CORE_READ(mine, pid);
	pid_exists = bpf_core_field_exists(task->pid);
	missing_exists = bpf_core_field_exists(mine->no_such_field);
	/* Poisoned, but the verifier sees the branch is never taken and drops it. */
	if (bpf_core_field_exists(mine->no_such_field))
		missing_read = BPF_CORE_READ(mine, no_such_field);
	task_exists = bpf_core_type_exists(struct task_struct);
	missing_type_exists = bpf_core_type_exists(struct no_such_kernel_type);
	task_size = bpf_core_type_size(struct task_struct);
	pid_size = bpf_core_field_size(task->pid);
	pid_offset = bpf_core_field_offset(task->pid);
	ringbuf_value = bpf_core_enum_value(enum bpf_map_type, BPF_MAP_TYPE_RINGBUF);
	ringbuf_exists = bpf_core_enum_value_exists(enum bpf_map_type___mine, BPF_MAP_TYPE_RINGBUF___mine);
	missing_value_exists = bpf_core_enum_value_exists(enum bpf_map_type___mine, BPF_MAP_TYPE_NO_SUCH_TYPE___mine);
	task_type_id = bpf_core_type_id_kernel(struct task_struct);
	sub_pid = task_pid(task);
	bitfield_offset = __builtin_preserve_field_info(task->sched_migrated, BPF_FIELD_BYTE_OFFSET);
	bitfield_size = __builtin_preserve_field_info(task->sched_migrated, BPF_FIELD_BYTE_SIZE);
	bitfield_lshift = __builtin_preserve_field_info(task->sched_migrated, BPF_FIELD_LSHIFT_U64);
	bitfield_rshift = __builtin_preserve_field_info(task->sched_migrated, BPF_FIELD_RSHIFT_U64);
	bitfield_signed = __builtin_preserve_field_info(task->sched_migrated, BPF_FIELD_SIGNED);
	prio_signed = __builtin_preserve_field_info(task->prio, BPF_FIELD_SIGNED);
	return 0;
}

/* A read of a field the kernel lacks, with no check: refused when loaded (autoload off). */
SEC("?raw_tp/sys_enter")
int read_missing(void *ctx)
{
	struct task_struct___mine *mine = (void *)bpf_get_current_task();

	return BPF_CORE_READ(mine, no_such_field);
}

/* With vmlinux.h even context accesses are CO-RE relocations of struct __sk_buff. */
SEC("socket")
int skb_len(struct __sk_buff *skb)
{
	return skb->len + skb->protocol * 0;
}

char LICENSE[] SEC("license") = "GPL";
