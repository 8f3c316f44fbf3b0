// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel symbols declared with libbpf's __ksym, as the selftest test_ksyms.c declares them.
 * Typeless ones (void, const void) are addresses libbpf takes from /proc/kallsyms; a __weak one
 * the kernel lacks is 0. bpf_prog_active is typed: libbpf resolves it through the kernel's BTF.
 * This kernel's kallsyms lists functions only (no CONFIG_KALLSYMS_ALL), so the symbols are functions.
 * bpf_task_acquire is a kfunc, declared with a nameless parameter as kernel headers often do.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

extern void bpf_init __ksym;
extern const void bpf_prog_put __ksym;
extern const void no_such_symbol_here __ksym __weak;
extern const void no_such_kernel_symbol __ksym;
extern const int bpf_prog_active __ksym;
struct task_struct;
extern struct task_struct *bpf_task_acquire(struct task_struct *) __ksym;

__u64 init_addr;
__u64 put_addr;
__u64 missing_addr;
__u64 strong_missing_addr;

SEC("raw_tp/sys_enter")
int read_addresses(void *ctx)
{
	init_addr = (__u64)&bpf_init;
	put_addr = (__u64)&bpf_prog_put;
	missing_addr = (__u64)&no_such_symbol_here;
	return 0;
}

SEC("?raw_tp/sys_enter")
int read_missing(void *ctx)
{
	strong_missing_addr = (__u64)&no_such_kernel_symbol;
	return 0;
}

SEC("?raw_tp/sys_enter")
int read_typed(void *ctx)
{
	int *active = bpf_this_cpu_ptr(&bpf_prog_active);

	return *active;
}

SEC("?raw_tp/sys_enter")
int call_kfunc(void *ctx)
{
	return bpf_task_acquire((struct task_struct *)0) != 0;
}

char LICENSE[] SEC("license") = "GPL";
