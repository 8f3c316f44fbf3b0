// SPDX-License-Identifier: GPL-2.0
/*
 * A PERF_EVENT program counting the samples it sees, those taken while thread target_tid (set from
 * Java) ran, and the sample period the kernel hands it, so a test can check an event opened for
 * one thread samples that thread alone, with the period asked for.
 */
#include <linux/bpf.h>
#include <linux/bpf_perf_event.h>
#include <bpf/bpf_helpers.h>

__u32 target_tid;
__u64 samples;
__u64 samples_of_target;
__u64 last_period;

SEC("perf_event")
int on_counter_sample(struct bpf_perf_event_data *ctx)
{
	__sync_fetch_and_add(&samples, 1);
	if ((__u32)bpf_get_current_pid_tgid() == target_tid)
		__sync_fetch_and_add(&samples_of_target, 1);
	last_period = ctx->sample_period;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
