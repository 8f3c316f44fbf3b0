// SPDX-License-Identifier: GPL-2.0
/*
 * libbpf's SEC("?...") convention: a leading '?' means "do not load automatically". The '?'
 * program here reads the packet without a bounds check, which the verifier refuses; the object
 * still loads, without it, unless it is asked for.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int pass(struct xdp_md *ctx)
{
	return XDP_PASS;
}

SEC("?xdp")
int unchecked_read(struct xdp_md *ctx)
{
	__u8 *data = (__u8 *)(long)ctx->data;

	return data[0] == 0 ? XDP_DROP : XDP_PASS;
}

SEC("?tc")
int later_tc(struct __sk_buff *skb)
{
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
