// SPDX-License-Identifier: GPL-2.0
/*
 * Typed __ksym variables, as the selftest test_ksyms_btf.c reads them: per-CPU kernel variables
 * found in the kernel's BTF, reached through bpf_this_cpu_ptr and bpf_per_cpu_ptr. runqueues is
 * each CPU's struct rq, whose cpu field names the CPU it belongs to. The '?' programs declare a
 * variable no kernel has and one declared with a type other than the kernel's (cpuhp_state is a
 * struct cpuhp_cpu_state). The kernel finds a typed ksym's address by name in kallsyms, which
 * lists variables only with CONFIG_KALLSYMS_ALL (Debian's 6.1 and 7.3 have it, this project's 6.18
 * host does not).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

extern const struct rq runqueues __ksym;
extern const int bpf_prog_active __ksym;
extern const int no_such_kernel_variable __ksym;
extern const int cpuhp_state __ksym;

__u32 asked_cpu;
int this_rq_cpu = -1;
int asked_rq_cpu = -1;
int prog_active = -1;

SEC("raw_tp/sys_enter")
int read_runqueues(void *ctx)
{
	const struct rq *mine = bpf_this_cpu_ptr(&runqueues);
	const struct rq *asked = bpf_per_cpu_ptr(&runqueues, asked_cpu);
	const int *active = bpf_this_cpu_ptr(&bpf_prog_active);

	this_rq_cpu = mine->cpu;
	if (asked)
		asked_rq_cpu = asked->cpu;
	prog_active = *active;
	return 0;
}

SEC("?raw_tp/sys_enter")
int read_missing(void *ctx)
{
	return *(const int *)bpf_this_cpu_ptr(&no_such_kernel_variable);
}

SEC("?raw_tp/sys_enter")
int read_mistyped(void *ctx)
{
	return *(const int *)bpf_this_cpu_ptr(&cpuhp_state);
}

char LICENSE[] SEC("license") = "GPL";
