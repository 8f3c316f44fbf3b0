// SPDX-License-Identifier: GPL-2.0
/*
 * A PROG_ARRAY initialised with .values, as libbpf's init_prog_array_slots fills it: slots 0 and
 * 2 hold tail programs, slot 1 stays empty until Java fills it. dispatch tail-calls the slot its
 * first raw tracepoint argument names; a tail call into an empty slot falls through to -1.
 * Variants (-D) declare what the loader must refuse.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("raw_tp/task_rename")
int tail_zero(unsigned long long *ctx)
{
	return 100;
}

SEC("raw_tp/task_rename")
int tail_two(unsigned long long *ctx)
{
	return 102;
}

#ifdef NOT_A_PROGRAM
static int helper_not_a_program(void *ctx)
{
	return 0;
}
#endif

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(max_entries, 4);
	__array(values, int (void *));
} jump_table SEC(".maps") = {
#ifdef NOT_A_PROGRAM
	.values = { [0] = (void *)&helper_not_a_program },
#else
	.values = { [0] = (void *)&tail_zero, [2] = (void *)&tail_two },
#endif
};

SEC("raw_tp/task_rename")
int dispatch(unsigned long long *ctx)
{
	bpf_tail_call(ctx, &jump_table, (__u32)ctx[0]);
	return -1;
}

char LICENSE[] SEC("license") = "GPL";
