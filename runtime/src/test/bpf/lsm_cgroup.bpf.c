// SPDX-License-Identifier: GPL-2.0
/*
 * An lsm_cgroup program on the socket_bind hook, built on the running kernel's vmlinux.h: it runs
 * for the binds of the processes of the cgroup it is attached to, and only those; it counts them
 * and allows them (an lsm_cgroup program's 1 allows, 0 refuses with EPERM).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

__u64 binds;

SEC("lsm_cgroup/socket_bind")
int BPF_PROG(count_binds, struct socket *sock, struct sockaddr *address, int addrlen)
{
	__sync_fetch_and_add(&binds, 1);
	return 1;
}

char LICENSE[] SEC("license") = "GPL";
