// SPDX-License-Identifier: GPL-2.0
/*
 * An sk_lookup program (SEC("sk_lookup"), kernel 5.9+) that steers TCP connections to one local
 * port (set in steered_port after load), where nobody listens, to the listening socket in slot 0 of
 * a SOCKMAP, as mainline's selftests test_sk_lookup do, and counts them. Other lookups go on to the
 * kernel's own.
 */
#include <linux/bpf.h>
#include <linux/in.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_SOCKMAP);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} listeners SEC(".maps");

__u32 steered_port;
__u64 steered_connections;
__u64 assign_failures;

SEC("sk_lookup")
int steer_to_listener(struct bpf_sk_lookup *ctx)
{
	const __u32 slot = 0;
	struct bpf_sock *listener;
	long err;

	if (ctx->protocol != IPPROTO_TCP || ctx->local_port != steered_port)
		return SK_PASS;
	listener = bpf_map_lookup_elem(&listeners, &slot);
	if (!listener)
		return SK_PASS;
	err = bpf_sk_assign(ctx, listener, 0);
	bpf_sk_release(listener);
	if (err) {
		__sync_fetch_and_add(&assign_failures, 1);
		return SK_DROP;
	}
	__sync_fetch_and_add(&steered_connections, 1);
	return SK_PASS;
}

char LICENSE[] SEC("license") = "GPL";
