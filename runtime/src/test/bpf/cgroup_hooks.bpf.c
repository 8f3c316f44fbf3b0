// SPDX-License-Identifier: GPL-2.0
/*
 * One program on each of a cgroup's other hooks, each counting its calls and allowing them: the
 * socket address hooks (bind, connect, sendmsg, recvmsg, getpeername, getsockname, for IPv4, IPv6
 * and unix sockets), post_bind and sock_release, sysctl, getsockopt and setsockopt, the device
 * controller (opens of /dev/null alone: character device 1:3) and sockops (active TCP connects).
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define COUNT(section, name, ctx_type)          \
	__u64 name##_calls;                     \
	SEC(section)                            \
	int count_##name(ctx_type *ctx)         \
	{                                       \
		__sync_fetch_and_add(&name##_calls, 1); \
		return 1;                       \
	}

COUNT("cgroup/bind4", bind4, struct bpf_sock_addr)
COUNT("cgroup/bind6", bind6, struct bpf_sock_addr)
COUNT("cgroup/connect4", connect4, struct bpf_sock_addr)
COUNT("cgroup/connect6", connect6, struct bpf_sock_addr)
/* Unix socket address hooks came in 6.7; -DNO_UNIX_HOOKS builds the object for older kernels. */
#ifndef NO_UNIX_HOOKS
COUNT("cgroup/connect_unix", connect_unix, struct bpf_sock_addr)
#endif
COUNT("cgroup/sendmsg4", sendmsg4, struct bpf_sock_addr)
COUNT("cgroup/sendmsg6", sendmsg6, struct bpf_sock_addr)
COUNT("cgroup/recvmsg4", recvmsg4, struct bpf_sock_addr)
COUNT("cgroup/recvmsg6", recvmsg6, struct bpf_sock_addr)
COUNT("cgroup/getpeername4", getpeername4, struct bpf_sock_addr)
COUNT("cgroup/getpeername6", getpeername6, struct bpf_sock_addr)
COUNT("cgroup/getsockname4", getsockname4, struct bpf_sock_addr)
COUNT("cgroup/getsockname6", getsockname6, struct bpf_sock_addr)
COUNT("cgroup/post_bind4", post_bind4, struct bpf_sock)
COUNT("cgroup/post_bind6", post_bind6, struct bpf_sock)
COUNT("cgroup/sock_release", sock_release, struct bpf_sock)
COUNT("cgroup/sysctl", sysctl, struct bpf_sysctl)
COUNT("cgroup/getsockopt", getsockopt, struct bpf_sockopt)
COUNT("cgroup/setsockopt", setsockopt, struct bpf_sockopt)

__u64 dev_null_opens;

SEC("cgroup/dev")
int count_dev_null(struct bpf_cgroup_dev_ctx *ctx)
{
	if (ctx->major == 1 && ctx->minor == 3)
		__sync_fetch_and_add(&dev_null_opens, 1);
	return 1;
}

__u64 tcp_connects;

SEC("sockops")
int count_tcp_connects(struct bpf_sock_ops *ctx)
{
	if (ctx->op == BPF_SOCK_OPS_TCP_CONNECT_CB)
		__sync_fetch_and_add(&tcp_connects, 1);
	return 1;
}

char LICENSE[] SEC("license") = "GPL";
