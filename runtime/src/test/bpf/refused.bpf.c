// SPDX-License-Identifier: GPL-2.0
/* Reads past the packet without a bounds check: the verifier must refuse it. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int unchecked(struct xdp_md *ctx)
{
	unsigned char *data = (unsigned char *)(long)ctx->data;

	return data[100];
}

char LICENSE[] SEC("license") = "GPL";
