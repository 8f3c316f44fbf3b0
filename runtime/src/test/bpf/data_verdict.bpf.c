// SPDX-License-Identifier: GPL-2.0
/*
 * Returns a verdict taken from .data and .rodata, and counts runs in .bss and in a .maps array. Its
 * second program is in a section that not every kernel loads (lsm/file_open), or, built with
 * -DUNSUPPORTED_SECTION='"action"', one this loader does not load at all.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

__u32 verdict = XDP_DROP;
const volatile __u32 bonus = 40;
__u64 runs;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 4);
} seen SEC(".maps");

SEC("xdp")
int decide(struct xdp_md *ctx)
{
	__u32 key = 1;
	__u64 *slot = bpf_map_lookup_elem(&seen, &key);

	if (slot)
		__sync_fetch_and_add(slot, 1);
	runs++;
	return verdict + (bonus == 40 ? 0 : 10);
}

#ifndef UNSUPPORTED_SECTION
#define UNSUPPORTED_SECTION "lsm/file_open"
#endif

SEC(UNSUPPORTED_SECTION)
int unsupported(void *ctx)
{
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
