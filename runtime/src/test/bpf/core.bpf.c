// SPDX-License-Identifier: GPL-2.0
/* A CO-RE field access (clang records it in .BTF.ext) of a local struct no kernel has: its relocation finds no candidate. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct task {
	int pid;
	int tgid;
} __attribute__((preserve_access_index));

SEC("raw_tp/sys_enter")
int read_tgid(void *ctx)
{
	struct task *task = (void *)bpf_get_current_task();

	return task->tgid > 0;
}

char LICENSE[] SEC("license") = "GPL";
