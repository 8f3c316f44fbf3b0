// SPDX-License-Identifier: GPL-2.0
/*
 * Counts the UDP datagrams to one port (set in target_port after load) seen by a TCX ingress
 * program on an interface, and the packets a socket filter sees on its socket. Both let every
 * packet through.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define TCX_NEXT -1 /* uapi's enum tcx_action_base, which older headers lack */

__u32 target_port;
__u64 tcx_datagrams;
__u64 filtered_packets;

SEC("tcx/ingress")
int count_udp(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	struct udphdr *udp = (void *)(ip + 1);

	if ((void *)(udp + 1) > end)
		return TCX_NEXT;
	if (eth->h_proto != bpf_htons(ETH_P_IP) || ip->ihl != 5 || ip->protocol != IPPROTO_UDP)
		return TCX_NEXT;
	if (bpf_ntohs(udp->dest) == target_port)
		__sync_fetch_and_add(&tcx_datagrams, 1);
	return TCX_NEXT;
}

SEC("socket")
int count_socket(struct __sk_buff *skb)
{
	__sync_fetch_and_add(&filtered_packets, 1);
	return skb->len;
}

char LICENSE[] SEC("license") = "GPL";
