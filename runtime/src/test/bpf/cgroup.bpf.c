// SPDX-License-Identifier: GPL-2.0
/*
 * Cgroup programs that count and allow everything: packets into and out of the cgroup's sockets,
 * and sockets its processes create.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

__u64 ingress_packets;
__u64 egress_packets;
__u64 sockets_created;

SEC("cgroup_skb/ingress")
int count_ingress(struct __sk_buff *skb)
{
	__sync_fetch_and_add(&ingress_packets, 1);
	return 1;
}

SEC("cgroup_skb/egress")
int count_egress(struct __sk_buff *skb)
{
	__sync_fetch_and_add(&egress_packets, 1);
	return 1;
}

SEC("cgroup/sock_create")
int count_sock_create(struct bpf_sock *sk)
{
	__sync_fetch_and_add(&sockets_created, 1);
	return 1;
}

char LICENSE[] SEC("license") = "GPL";
