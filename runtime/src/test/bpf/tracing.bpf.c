// SPDX-License-Identifier: GPL-2.0
/*
 * TRACING programs, verified against the running kernel's BTF: a BTF tracepoint, fentry, fexit
 * and fmod_ret, each counting one process's getpgid calls (the test's, set in target_tgid after
 * load). fmod_ret returns 0, which leaves the hook's result alone; it attaches to an LSM hook,
 * which the kernel allows without error injection. The trampoline programs are '?' (not loaded
 * unless asked for): some kernels refuse them (this project's 6.18 host answers EPERM, to libbpf
 * too), and the BTF tracepoint should load there all the same.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define NR_GETPGID 121 /* x86-64 */

__u32 target_tgid;
__u64 btf_enters;
__u64 fentries;
__u64 fexits;
__u64 fexit_results_ok;
__u64 fmod_rets;

static __always_inline int ours(void)
{
	return (bpf_get_current_pid_tgid() >> 32) == target_tgid;
}

/* sys_enter(struct pt_regs *regs, long id) */
SEC("tp_btf/sys_enter")
int on_sys_enter(__u64 *ctx)
{
	if (ours() && (long)ctx[1] == NR_GETPGID)
		__sync_fetch_and_add(&btf_enters, 1);
	return 0;
}

/* long __x64_sys_getpgid(const struct pt_regs *regs) */
SEC("?fentry/__x64_sys_getpgid")
int on_getpgid(__u64 *ctx)
{
	if (ours())
		__sync_fetch_and_add(&fentries, 1);
	return 0;
}

SEC("?fexit/__x64_sys_getpgid")
int on_getpgid_exit(__u64 *ctx)
{
	if (ours()) {
		__sync_fetch_and_add(&fexits, 1);
		/* ctx[1] is the return value: getpgid of a live process is its group id, not an error */
		if ((long)ctx[1] >= 0)
			__sync_fetch_and_add(&fexit_results_ok, 1);
	}
	return 0;
}

/* int security_task_getpgid(struct task_struct *p) */
SEC("?fmod_ret/security_task_getpgid")
int on_task_getpgid(__u64 *ctx)
{
	if (ours())
		__sync_fetch_and_add(&fmod_rets, 1);
	return 0;
}

SEC("?fentry/no_such_function_bpfglobals")
int on_nothing(__u64 *ctx)
{
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
