// SPDX-License-Identifier: GPL-2.0
/* Hash maps for `export --map`: each run adds to three entries keyed by a struct (a HASH and a
 * PERCPU_HASH), sets a signed value per port (a gauge), and fills 20 entries of a scalar-keyed HASH
 * (for the series bound). The names include a quote and a byte that is not UTF-8, which the labels
 * must escape. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct flow {
	__u32 proto;
	__u16 port;
	char name[6];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, struct flow);
	__type(value, __u64);
	__uint(max_entries, 64);
} flows SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__type(key, struct flow);
	__type(value, __u64);
	__uint(max_entries, 64);
} flows_percpu SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32);
	__type(value, __s64);
	__uint(max_entries, 64);
} by_port SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32);
	__type(value, __u32);
	__uint(max_entries, 64);
} many SEC(".maps");

static __always_inline void add(void *map, struct flow *key, __u64 amount)
{
	__u64 *value = bpf_map_lookup_elem(map, key);

	if (value)
		__sync_fetch_and_add(value, amount);
	else
		bpf_map_update_elem(map, key, &amount, BPF_NOEXIST);
}

SEC("xdp")
int count_flows(struct xdp_md *ctx)
{
	struct flow web = { .proto = 6, .port = 80, .name = "web" };
	struct flow tls = { .proto = 6, .port = 443, .name = "t\"ls" };
	struct flow dns = { .proto = 17, .port = 53, .name = { 'd', (char)0xff } };
	__u32 port;
	__s64 negative;

	add(&flows, &web, 1);
	add(&flows, &tls, 2);
	add(&flows, &dns, 3);
	add(&flows_percpu, &web, 1);
	add(&flows_percpu, &tls, 1);
	add(&flows_percpu, &dns, 1);
	port = 80;
	negative = -80;
	bpf_map_update_elem(&by_port, &port, &negative, BPF_ANY);
	port = 53;
	negative = -53;
	bpf_map_update_elem(&by_port, &port, &negative, BPF_ANY);
	for (__u32 i = 0; i < 20; i++) {
		__u32 k = i;
		__u32 v = i * 10;

		bpf_map_update_elem(&many, &k, &v, BPF_ANY);
	}
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
