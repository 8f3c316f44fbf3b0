// SPDX-License-Identifier: GPL-2.0
/*
 * A netfilter program (SEC("netfilter"), kernel 6.4+) that counts the IPv4 UDP datagrams to one
 * port (set in target_port after load) at the hook it is attached to, and drops them while drop is
 * set. The kernel's struct bpf_nf_ctx is not in the UAPI headers: it is declared here as the kernel
 * has it, and the socket buffer's fields are read through CO-RE, so the object needs no vmlinux.h.
 */
#include <linux/bpf.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_core_read.h>

#define NF_DROP 0
#define NF_ACCEPT 1

struct sk_buff {
	unsigned int len;
	unsigned char *data;
} __attribute__((preserve_access_index));

/* include/linux/filter.h's context of a netfilter program. */
struct bpf_nf_ctx {
	const void *state;
	struct sk_buff *skb;
};

__u32 target_port;
__u32 drop;
__u64 netfilter_datagrams;

SEC("netfilter")
int count_udp_in(struct bpf_nf_ctx *ctx)
{
	struct sk_buff *skb = ctx->skb;
	unsigned char *data = BPF_CORE_READ(skb, data);
	struct iphdr ip;
	struct udphdr udp;

	/* At NF_INET_LOCAL_IN the buffer's data starts at the IP header. */
	if (bpf_probe_read_kernel(&ip, sizeof(ip), data) || ip.version != 4 || ip.protocol != IPPROTO_UDP)
		return NF_ACCEPT;
	if (bpf_probe_read_kernel(&udp, sizeof(udp), data + ip.ihl * 4) || bpf_ntohs(udp.dest) != target_port)
		return NF_ACCEPT;
	__sync_fetch_and_add(&netfilter_datagrams, 1);
	return drop ? NF_DROP : NF_ACCEPT;
}

char LICENSE[] SEC("license") = "GPL";
