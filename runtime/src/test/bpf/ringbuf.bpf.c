// SPDX-License-Identifier: GPL-2.0
/*
 * Writes `records` events into a ring buffer per run, the three ways libbpf programs do:
 * bpf_ringbuf_reserve + submit (fixed size), bpf_ringbuf_output (a length that is not a
 * multiple of 8, so the reader must round up), and reserve + discard (every third event, which
 * the reader must skip). Each event carries its running number, so the reader can check order.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} events SEC(".maps");

struct event {
	__u32 seq;
	__u32 kind;
	__u64 value;
};

__u32 records = 8;
__u32 next_seq;
__u32 dropped;

SEC("raw_tp/sys_enter")
int produce(void *ctx)
{
	for (__u32 i = 0; i < records && i < 64; i++) {
		__u32 seq = next_seq++;
		__u64 value = (__u64)seq * 1000 + 7;

		if (seq % 3 == 2) {
			struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);

			if (!e) {
				dropped++;
				continue;
			}
			e->seq = seq;
			e->kind = 2;
			bpf_ringbuf_discard(e, 0);
		} else if (seq % 3 == 1) {
			/* 12 + (seq & 3) bytes: seq, kind, then the value's low bytes */
			struct event e = { .seq = seq, .kind = 1, .value = value };
			__u64 size = 12 + (seq & 3);

			if (bpf_ringbuf_output(&events, &e, size, 0))
				dropped++;
		} else {
			struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);

			if (!e) {
				dropped++;
				continue;
			}
			e->seq = seq;
			e->kind = 0;
			e->value = value;
			bpf_ringbuf_submit(e, 0);
		}
	}
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
