// SPDX-License-Identifier: GPL-2.0
/* Maps keyed by struct flow_key, declared from the Java records FlowKey and FlowStats through
 * their generated headers. Each run counts the packet under one fixed flow in a HASH map and in a
 * PERCPU_HASH map, and copies the flow Java wrote under JAVA_FLOW to COPIED_FLOW with packets + 1,
 * so that both directions are checked. legacy_flows holds a struct of the same size whose members
 * come in another order: binding it with FlowKeyCodec must fail. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "dev.bpfglobals.fixtures.FlowKey.h"
#include "dev.bpfglobals.fixtures.FlowStats.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, struct flow_key);
	__type(value, struct flow_stats);
	__uint(max_entries, 16);
} flows SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__type(key, struct flow_key);
	__type(value, __u64);
	__uint(max_entries, 16);
} flow_packets SEC(".maps");

/* Same size as struct flow_key, daddr first: what a program built from a stale copy might declare. */
struct legacy_flow_key {
	__u32 daddr;
	__u32 saddr;
	__u16 sport;
	__u16 dport;
	__s8 proto;
	_Bool ingress;
	__u16 vlan;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, struct legacy_flow_key);
	__type(value, struct flow_stats);
	__uint(max_entries, 1);
} legacy_flows SEC(".maps");

static __always_inline void flow(struct flow_key *key, __u32 saddr, __u16 sport)
{
	/* Zero first: the map compares every byte of a key, padding included. */
	__builtin_memset(key, 0, sizeof(*key));
	key->saddr = saddr;
	key->daddr = 0x0a000002;
	key->sport = sport;
	key->dport = 443;
	key->proto = 6;
	key->ingress = 1;
	key->vlan = 7;
}

SEC("xdp")
int count_flows(struct xdp_md *ctx)
{
	__u32 len = ctx->data_end - ctx->data;
	struct flow_key key, java_key, copied_key;
	struct flow_stats *stats, *from_java;
	__u64 one = 1, *packets;

	flow(&key, 0x0a000001, 1234);
	stats = bpf_map_lookup_elem(&flows, &key);
	if (stats) {
		__sync_fetch_and_add(&stats->packets, 1);
		__sync_fetch_and_add(&stats->bytes, len);
		if (stats->packets == 2)
			stats->sizes[1] = len;
	} else {
		struct flow_stats fresh;

		__builtin_memset(&fresh, 0, sizeof(fresh));
		fresh.packets = 1;
		fresh.bytes = len;
		fresh.sizes[0] = len;
		fresh.verdict = FLOW_STATS_VERDICT_DROP;
		bpf_map_update_elem(&flows, &key, &fresh, BPF_NOEXIST);
	}

	packets = bpf_map_lookup_elem(&flow_packets, &key);
	if (packets)
		*packets += 1;
	else
		bpf_map_update_elem(&flow_packets, &key, &one, BPF_NOEXIST);

	flow(&java_key, 0x0a000009, 9999);
	from_java = bpf_map_lookup_elem(&flows, &java_key);
	if (from_java) {
		struct flow_stats copy = *from_java;

		copy.packets += 1;
		flow(&copied_key, 0x0a00000a, 10000);
		bpf_map_update_elem(&flows, &copied_key, &copy, BPF_ANY);
	}
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
