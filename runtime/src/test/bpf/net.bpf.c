// SPDX-License-Identifier: GPL-2.0
/*
 * Counts the UDP datagrams to one port (set in target_port after load) seen by a TCX ingress
 * program on an interface, by two tc programs (ingress and egress, attached through TCX or as
 * clsact filters), by two XDP programs (one to replace the other), and the packets a socket filter sees on its socket. All let
 * every packet through.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define TCX_NEXT -1 /* uapi's enum tcx_action_base, which older headers lack */
#define TC_ACT_UNSPEC -1 /* the same number: a classic direct-action filter passes the packet on */

__u32 target_port;
__u64 tcx_datagrams;
__u64 tc_ingress_datagrams;
__u64 tc_egress_datagrams;
__u64 filtered_packets;
__u64 xdp_datagrams;
__u64 xdp_replacement_datagrams;

/* Whether the packet from data to end is an IPv4 UDP datagram to target_port, read from its Ethernet header on. */
static __always_inline int is_target_frame(void *data, void *end)
{
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	struct udphdr *udp = (void *)(ip + 1);

	if ((void *)(udp + 1) > end)
		return 0;
	if (eth->h_proto != bpf_htons(ETH_P_IP) || ip->ihl != 5 || ip->protocol != IPPROTO_UDP)
		return 0;
	return bpf_ntohs(udp->dest) == target_port;
}

/* The same for a socket buffer's packet. */
static __always_inline int is_target_datagram(struct __sk_buff *skb)
{
	return is_target_frame((void *)(long)skb->data, (void *)(long)skb->data_end);
}

SEC("tcx/ingress")
int count_udp(struct __sk_buff *skb)
{
	if (is_target_datagram(skb))
		__sync_fetch_and_add(&tcx_datagrams, 1);
	return TCX_NEXT;
}

SEC("tc")
int count_tc_ingress(struct __sk_buff *skb)
{
	if (is_target_datagram(skb))
		__sync_fetch_and_add(&tc_ingress_datagrams, 1);
	return TC_ACT_UNSPEC;
}

SEC("tc")
int count_tc_egress(struct __sk_buff *skb)
{
	if (is_target_datagram(skb))
		__sync_fetch_and_add(&tc_egress_datagrams, 1);
	return TC_ACT_UNSPEC;
}

SEC("xdp")
int count_xdp(struct xdp_md *ctx)
{
	if (is_target_frame((void *)(long)ctx->data, (void *)(long)ctx->data_end))
		__sync_fetch_and_add(&xdp_datagrams, 1);
	return XDP_PASS;
}

SEC("xdp")
int count_xdp_replacement(struct xdp_md *ctx)
{
	if (is_target_frame((void *)(long)ctx->data, (void *)(long)ctx->data_end))
		__sync_fetch_and_add(&xdp_replacement_datagrams, 1);
	return XDP_PASS;
}

SEC("socket")
int count_socket(struct __sk_buff *skb)
{
	__sync_fetch_and_add(&filtered_packets, 1);
	return skb->len;
}

char LICENSE[] SEC("license") = "GPL";
