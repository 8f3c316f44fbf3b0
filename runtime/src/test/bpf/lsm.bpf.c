// SPDX-License-Identifier: GPL-2.0
/*
 * BPF LSM programs, built on the running kernel's vmlinux.h: on the file_open hook, count the opens
 * of one file (its inode number in target_ino, set after load) and refuse with EACCES the opens of
 * another (deny_ino); on the sleepable bprm_committed_creds hook (lsm.s), count the execs of one
 * file (exec_ino) by children of one process (parent_tgid), calling bpf_copy_from_user, which the verifier allows
 * sleepable programs alone.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#define EACCES 13

__u64 target_ino;
__u64 deny_ino;
__u64 opens;
__u64 denied;
__u32 parent_tgid;
__u64 exec_ino;
__u64 execs;

SEC("lsm/file_open")
int BPF_PROG(on_file_open, struct file *file)
{
	__u64 ino = BPF_CORE_READ(file, f_inode, i_ino);

	if (ino == target_ino && target_ino != 0)
		__sync_fetch_and_add(&opens, 1);
	if (ino == deny_ino && deny_ino != 0) {
		__sync_fetch_and_add(&denied, 1);
		return -EACCES;
	}
	return 0;
}

SEC("lsm.s/bprm_committed_creds")
int BPF_PROG(on_exec, struct linux_binprm *bprm)
{
	struct task_struct *task = bpf_get_current_task_btf();
	char byte;

	if (BPF_CORE_READ(task, real_parent, tgid) == parent_tgid && BPF_CORE_READ(bprm, file, f_inode, i_ino) == exec_ino) {
		bpf_copy_from_user(&byte, 1, (void *)0);
		__sync_fetch_and_add(&execs, 1);
	}
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
