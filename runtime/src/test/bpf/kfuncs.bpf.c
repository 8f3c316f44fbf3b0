// SPDX-License-Identifier: GPL-2.0
/*
 * kfunc calls, as libbpf resolves them: bpf_task_acquire and bpf_task_release (kernel 6.2+) hold
 * the current task for a moment. They are __weak and guarded with bpf_ksym_exists, so the program
 * loads on kernels without them (6.1), where the calls are libbpf's poisoned calls on a path the
 * verifier proves dead and has_kfuncs says 0. The '?' programs call a kfunc no kernel has, strong,
 * and weak without a guard.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#ifndef bpf_ksym_exists /* libbpf 1.2's bpf_helpers.h; older headers lack it */
#define bpf_ksym_exists(sym) ({ _Static_assert(!__builtin_constant_p(!!sym), #sym " should be marked as __weak"); !!sym; })
#endif

extern struct task_struct *bpf_task_acquire(struct task_struct *p) __ksym __weak;
extern void bpf_task_release(struct task_struct *p) __ksym __weak;
extern struct task_struct *bpf_no_such_kfunc(struct task_struct *p) __ksym;
extern struct task_struct *bpf_no_such_weak_kfunc(struct task_struct *p) __ksym __weak;

__u32 target_tgid;
int has_kfuncs = -1;
int acquired_tgid = -1;

SEC("tp_btf/sys_enter")
int acquire_current(__u64 *ctx)
{
	struct task_struct *task, *held;

	if ((bpf_get_current_pid_tgid() >> 32) != target_tgid)
		return 0;
	if (!bpf_ksym_exists(bpf_task_acquire) || !bpf_ksym_exists(bpf_task_release)) {
		has_kfuncs = 0;
		return 0;
	}
	task = bpf_get_current_task_btf();
	held = bpf_task_acquire(task);
	if (!held)
		return 0;
	acquired_tgid = held->tgid;
	bpf_task_release(held);
	has_kfuncs = 1;
	return 0;
}

SEC("?tp_btf/sys_enter")
int call_missing(__u64 *ctx)
{
	return bpf_no_such_kfunc(bpf_get_current_task_btf()) != 0;
}

SEC("?tp_btf/sys_enter")
int call_missing_weak(__u64 *ctx)
{
	return bpf_no_such_weak_kfunc(bpf_get_current_task_btf()) != 0;
}

char LICENSE[] SEC("license") = "GPL";
