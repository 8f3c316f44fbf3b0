// SPDX-License-Identifier: GPL-2.0
/*
 * Writes `samples` samples per run into a PERF_EVENT_ARRAY with bpf_perf_event_output, on the
 * CPU it runs on, as libbpf-based tools written before ring buffers do. Each sample carries a
 * running number, the CPU and a value derived from the number, so a reader can check that it got
 * every sample once, from the right CPU, whole; odd-numbered samples are 8 bytes longer (a check
 * word), so records of 32 and 40 bytes alternate and some wrap round the end of the ring.
 * `failed` counts the samples the kernel refused (a full ring), which the reader must report as lost.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} events SEC(".maps");

struct sample {
	__u32 seq;
	__u32 cpu;
	__u64 value;
	__u64 check;
};

__u32 samples = 1;
__u32 next_seq;
__u32 failed;

SEC("raw_tp/sys_enter")
int emit(void *ctx)
{
	for (__u32 i = 0; i < samples && i < 1024; i++) {
		struct sample s = {
			.seq = next_seq++, /* runs follow one another: no race */
			.cpu = bpf_get_smp_processor_id(),
		};

		__u64 size = 16 + ((s.seq & 1) << 3);

		s.value = (__u64)s.seq * 1000 + 7;
		s.check = ~s.value;
		if (bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, &s, size))
			failed++;
	}
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
