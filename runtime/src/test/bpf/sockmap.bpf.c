// SPDX-License-Identifier: GPL-2.0
/*
 * Programs of a SOCKMAP: sk_msg counts the messages and bytes its sockets send, sk_skb/stream_verdict
 * the bytes they receive; both let everything pass.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_SOCKMAP);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} sockets SEC(".maps");

__u64 messages_sent;
__u64 bytes_sent;
__u64 bytes_received;

SEC("sk_msg")
int count_sends(struct sk_msg_md *msg)
{
	__sync_fetch_and_add(&messages_sent, 1);
	__sync_fetch_and_add(&bytes_sent, msg->size);
	return SK_PASS;
}

SEC("sk_skb/stream_verdict")
int count_receives(struct __sk_buff *skb)
{
	__sync_fetch_and_add(&bytes_received, skb->len);
	return SK_PASS;
}

char LICENSE[] SEC("license") = "GPL";
