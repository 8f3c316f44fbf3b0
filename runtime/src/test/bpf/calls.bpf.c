// SPDX-License-Identifier: GPL-2.0
/* Programs of several types and bpf-to-bpf calls: a static subprogram reached from two programs
 * through relocations, a global subprogram that calls it without one, a subprogram touching
 * .data and a pinned .maps map. Also programs of types a loader may not support. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

__u64 counter = 1;
__u32 flags SEC(".data.extra") = 2;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 8);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} pinned SEC(".maps");

static __attribute__((noinline)) int add(int x)
{
	counter += x;
	return x + flags;
}

__attribute__((noinline)) int global_add(int x)
{
	return add(x) * 2;
}

SEC("xdp")
int on_packet(struct xdp_md *ctx)
{
	__u32 key = 0;
	__u64 *hits = bpf_map_lookup_elem(&pinned, &key);

	if (hits)
		*hits += 1;
	return add(3) + global_add(4) > 5 ? XDP_PASS : XDP_DROP;
}

SEC("tc")
int on_skb(struct __sk_buff *skb)
{
	return add(1);
}

SEC("socket")
int on_socket(struct __sk_buff *skb)
{
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_getpid")
int on_getpid(void *ctx)
{
	return global_add(1);
}

SEC("raw_tp/sys_enter")
int on_sys_enter(void *ctx)
{
	return 0;
}

SEC("kprobe/do_nothing")
int on_kprobe(void *ctx)
{
	return 0;
}

SEC("my_custom_section")
int on_custom(void *ctx)
{
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
