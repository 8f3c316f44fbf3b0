// SPDX-License-Identifier: GPL-2.0
/*
 * Drains a user ring buffer that Java writes, as libbpf's selftest user_ringbuf_success.c does:
 * each record's first 8 bytes are added to `sum` (records shorter than that are `short_records`),
 * and every record is counted.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_USER_RINGBUF);
	__uint(max_entries, 4096);
} requests SEC(".maps");

__u64 sum;
__u64 short_records;
__u64 records;
long drained;

static long take(struct bpf_dynptr *record, void *ctx)
{
	__u64 value = 0;

	if (bpf_dynptr_read(&value, sizeof(value), record, 0, 0) == 0)
		sum += value;
	else
		short_records++;
	records++;
	return 0;
}

SEC("raw_tp/sys_enter")
int drain(void *ctx)
{
	drained = bpf_user_ringbuf_drain(&requests, take, 0, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
