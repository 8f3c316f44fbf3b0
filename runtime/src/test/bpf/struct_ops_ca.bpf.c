// SPDX-License-Identifier: GPL-2.0
/*
 * A TCP congestion-control algorithm as a struct_ops map, built on vmlinux.h as mainline's
 * tcp_ca selftests are: slow start and halving on loss (Reno's shape, written out here rather
 * than calling the kernel's tcp_reno_* kfuncs, so that it loads on kernels without them).
 * Each callback counts its calls in a global the test reads. -DLINK declares the map in
 * .struct_ops.link (registered through a BPF link) instead of .struct_ops.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char _license[] SEC("license") = "GPL";

__u64 init_calls;
__u64 cong_avoid_calls;
__u64 cwnd_event_calls;
__u64 ssthresh_calls;

static struct tcp_sock *tcp_of(struct sock *sk)
{
	return (struct tcp_sock *)sk;
}

SEC("struct_ops/bg_init")
void BPF_PROG(bg_init, struct sock *sk)
{
	__sync_fetch_and_add(&init_calls, 1);
}

SEC("struct_ops/bg_ssthresh")
__u32 BPF_PROG(bg_ssthresh, struct sock *sk)
{
	__u32 half = tcp_of(sk)->snd_cwnd >> 1;

	__sync_fetch_and_add(&ssthresh_calls, 1);
	return half > 2 ? half : 2;
}

SEC("struct_ops/bg_cong_avoid")
void BPF_PROG(bg_cong_avoid, struct sock *sk, __u32 ack, __u32 acked)
{
	struct tcp_sock *tp = tcp_of(sk);

	__sync_fetch_and_add(&cong_avoid_calls, 1);
	if (tp->snd_cwnd < tp->snd_cwnd_clamp)
		tp->snd_cwnd = tp->snd_cwnd + 1;
}

SEC("struct_ops/bg_cwnd_event")
void BPF_PROG(bg_cwnd_event, struct sock *sk, enum tcp_ca_event event)
{
	__sync_fetch_and_add(&cwnd_event_calls, 1);
}

SEC("struct_ops/bg_undo_cwnd")
__u32 BPF_PROG(bg_undo_cwnd, struct sock *sk)
{
	return tcp_of(sk)->snd_cwnd;
}

/* The algorithm's name is system-wide: each test that registers one names it (-DCA_NAME=...) apart. */
#ifdef LINK
#define CA_SECTION ".struct_ops.link"
#ifndef CA_NAME
#define CA_NAME "bgca_link"
#endif
#else
#define CA_SECTION ".struct_ops"
#ifndef CA_NAME
#define CA_NAME "bgca_plain"
#endif
#endif

/* TCP_CONG_NON_RESTRICTED (a #define, so not in vmlinux.h): a network namespace other than the
 * initial one may make only such an algorithm its default. A data member, copied into the kernel's struct. */
#define CA_NON_RESTRICTED 0x1

SEC(CA_SECTION)
struct tcp_congestion_ops bg_ca = {
	.init = (void *)bg_init,
	.ssthresh = (void *)bg_ssthresh,
	.cong_avoid = (void *)bg_cong_avoid,
	.cwnd_event = (void *)bg_cwnd_event,
	.undo_cwnd = (void *)bg_undo_cwnd,
	.flags = CA_NON_RESTRICTED,
	.name = CA_NAME,
};
