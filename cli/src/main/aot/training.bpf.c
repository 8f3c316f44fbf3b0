// SPDX-License-Identifier: GPL-2.0
/* The object the build trains the command-line tool's ahead-of-time cache on (src/main/dist/assemble.sh):
 * a global of each writable kind, a read-only setting, a per-CPU array map and an XDP program, so
 * that inspect, load --pin --set, run and dump each take their usual path once. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} per_cpu_packets SEC(".maps");

__s32 step = 1;
__u64 runs;
const volatile __u32 verdict = XDP_PASS;

SEC("xdp")
int count_packet(struct xdp_md *ctx)
{
	__u32 zero = 0;
	__u64 *packets = bpf_map_lookup_elem(&per_cpu_packets, &zero);

	if (packets)
		*packets += 1;
	runs += step;
	return verdict;
}

char LICENSE[] SEC("license") = "GPL";
