// SPDX-License-Identifier: GPL-2.0
/*
 * USDT probes read through libbpf's own usdt.bpf.h, unchanged: UsdtAttachTest's target fires
 * bpfglobals:args with six arguments (two constants, three registers of 1, 2 and 8 bytes, one
 * long on the stack) and bpfglobals:guarded behind a semaphore. Each handler sums what it reads,
 * for the calls of one process (target_tgid, set after load; 0 for all), so the test can check every
 * argument exactly. Every argument is taken as a long, so that what bpf_usdt_arg() made of it
 * (sign or zero extension of 1, 2 and 4 bytes) shows in the sums unchanged by C conversions.
 */
#define __TARGET_ARCH_x86
#include <linux/bpf.h>
#include <linux/ptrace.h>
#include <stdbool.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/usdt.bpf.h>

__u32 target_tgid;
__u64 args_calls;
__s64 arg_count;
__s64 sums[6];
__u64 guarded_calls;
__s64 guarded_sum;
__u64 unread_calls;

static __always_inline int ours(void)
{
	return !target_tgid || (bpf_get_current_pid_tgid() >> 32) == target_tgid;
}

SEC("usdt")
int BPF_USDT(on_args, long constant, long negative, long small, long mid, long wide, long on_stack)
{
	if (!ours())
		return 0;
	__sync_fetch_and_add(&args_calls, 1);
	arg_count = bpf_usdt_arg_cnt(ctx);
	__sync_fetch_and_add(&sums[0], constant);
	__sync_fetch_and_add(&sums[1], negative);
	__sync_fetch_and_add(&sums[2], small);
	__sync_fetch_and_add(&sums[3], mid);
	__sync_fetch_and_add(&sums[4], wide);
	__sync_fetch_and_add(&sums[5], on_stack);
	return 0;
}

SEC("usdt")
int BPF_USDT(on_guarded, long i)
{
	if (!ours())
		return 0;
	__sync_fetch_and_add(&guarded_calls, 1);
	__sync_fetch_and_add(&guarded_sum, i);
	return 0;
}

__u64 ip_matches;
__u64 ip_misses;

/* What usdt.bpf.h does on a kernel without cookies, next to the cookie: the address this site runs
 * at, looked up in __bpf_usdt_ip_to_spec_id, must give the spec id the cookie carries. */
SEC("usdt")
int check_ip_map(struct pt_regs *ctx)
{
	long ip = PT_REGS_IP(ctx);
	__u32 *spec_id;

	if (!ours())
		return 0;
	spec_id = bpf_map_lookup_elem(&__bpf_usdt_ip_to_spec_id, &ip);
	if (spec_id && *spec_id == bpf_get_attach_cookie(ctx) && bpf_map_lookup_elem(&__bpf_usdt_specs, spec_id))
		__sync_fetch_and_add(&ip_matches, 1);
	else
		__sync_fetch_and_add(&ip_misses, 1);
	return 0;
}

/* A USDT program that reads no argument: it attaches without the spec maps. */
SEC("usdt/./target/test-bin/usdt_target:bpfglobals:args")
int on_args_unread(struct pt_regs *ctx)
{
	if (ours())
		__sync_fetch_and_add(&unread_calls, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
