// SPDX-License-Identifier: GPL-2.0
/* A PERF_EVENT program counting the samples of the event it is attached to. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

__u64 samples;

SEC("perf_event")
int on_sample(void *ctx)
{
	__sync_fetch_and_add(&samples, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
