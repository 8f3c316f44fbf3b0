// SPDX-License-Identifier: GPL-2.0
/*
 * A PERF_EVENT_ARRAY declared without max_entries, as libbpf-based programs commonly declare
 * it: libbpf gives it one entry per possible CPU. Next to it one declared with an explicit size.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
	__uint(max_entries, 1);
} sized_events SEC(".maps");

SEC("xdp")
int emit(struct xdp_md *ctx)
{
	__u64 sample = 42;

	/* No perf event is open at these slots, so the helper answers -ENOENT; loading is the point. */
	bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, &sample, sizeof(sample));
	bpf_perf_event_output(ctx, &sized_events, 0, &sample, sizeof(sample));
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
