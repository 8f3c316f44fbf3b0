// SPDX-License-Identifier: GPL-2.0
/* A PROG_ARRAY a dispatcher tail-calls into, for dump: the test fills two of its four slots with
 * the pinned handlers' descriptors, so that dump shows the filled slots and skips the empty ones;
 * and a QUEUE, whose dump is refused with what reads it instead. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u32);
} handlers SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, 4);
	__type(value, __u32);
} pending SEC(".maps");

SEC("xdp")
int dispatch(struct xdp_md *ctx)
{
	bpf_tail_call(ctx, &handlers, 1);
	return XDP_PASS;
}

SEC("xdp")
int handle_pass(struct xdp_md *ctx)
{
	return XDP_PASS;
}

SEC("xdp")
int handle_drop(struct xdp_md *ctx)
{
	return XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
