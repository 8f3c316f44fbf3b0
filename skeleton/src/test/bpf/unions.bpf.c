// SPDX-License-Identifier: GPL-2.0
/* Unions for the skeleton generator: a named union global (.bss), a struct holding an anonymous union
 * (.data and an array map's value), written by one XDP program run so Java reads what the kernel wrote. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

union addr {
	__u32 v4;
	__u8 v6[16];
	struct {
		__u16 port;
		__u16 family;
	} tagged;
};

struct event {
	__u32 kind;
	union {
		__u64 count;
		__s32 delta;
		__u8 flag;
	};
	__u16 tail;
};

union addr last_addr;
struct event last_event = { .kind = 1 };

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, struct event);
} events SEC(".maps");

SEC("xdp")
int write_unions(struct xdp_md *ctx)
{
	__u32 key = 1;
	struct event *slot = bpf_map_lookup_elem(&events, &key);

	for (int i = 0; i < 16; i++)
		last_addr.v6[i] = 0x10 + i;
	last_event.kind = 2;
	last_event.delta = -5;
	last_event.tail = 0xbeef;
	if (slot) {
		slot->kind = 3;
		slot->count = 0x1122334455667788ULL;
		slot->tail = 7;
	}
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
