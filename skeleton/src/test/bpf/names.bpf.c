// SPDX-License-Identifier: GPL-2.0
/* Names the skeleton generator must map: snake_case, Java keywords, clashes, anonymous types by place,
 * and (one -D at a time) the constructs it refuses. -DDRIFT changes one member's type, for the drift check. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

enum traffic_class { TC_BULK = 1, TC_INTERACTIVE = 7 };

struct flow_key {
	__u32 src_addr;
	__u16 dst_port;
	__u8 proto;
};

struct flow_stats {
#ifdef DRIFT
	__u32 packet_count;
#else
	__u64 packet_count;
#endif
	enum traffic_class class;
	__u16 hist[4];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, struct flow_key);
	__type(value, struct flow_stats);
} flow_table SEC(".maps");

__u64 new = 1;
__u32 max_len = 1500;
__u32 maxLen = 9000;
struct {
	__u32 first_seen;
	struct {
		__u16 low, high;
	} port_range;
} anon_place = { .first_seen = 3 };
const volatile __u32 rate_limit = 100;
struct flow_stats totals;

#ifdef BITFIELD
struct flags_holder { __u32 urgent : 1; enum traffic_class class_bits : 4; };
struct flags_holder holder;
#endif
#ifdef FLEX
struct packet { __u32 len; __u8 data[]; };
struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 1); __type(key, __u32); __type(value, struct packet); } packets SEC(".maps");
#endif
#ifdef INT128
__int128 big;
#endif

SEC("xdp")
int count_flows(struct xdp_md *ctx)
{
	struct flow_key key = { .proto = 6 };
	struct flow_stats *stats = bpf_map_lookup_elem(&flow_table, &key);

	if (stats)
		stats->packet_count += new + max_len + maxLen + rate_limit + anon_place.port_range.low;
	totals.packet_count++;
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
