// SPDX-License-Identifier: GPL-2.0
/* The program of Ticks.java, in compat mode (this kernel has no native .percpu access): each run
 * counts on the running CPU and adds the .data step, so `load --set`, `run --cpu` and
 * `dump --json` can be checked to the value. */
#define BPF_GLOBALS_COMPAT
#include "dev.bpfglobals.cli.Ticks.h"
#include <linux/bpf.h>

static __always_inline void tick(void)
{
	struct ticks_percpu *section = ticks_this_cpu();

	if (!section)
		return;
	section->runs += 1;
	section->sum += step;
	section->seen = 1;
	section->marks[2] = section->marks[1];
	section->marks[1] = section->marks[0];
	section->marks[0] = (__u8)step;
}

SEC("raw_tp/sys_enter")
int tick_raw_tp(void *ctx)
{
	tick();
	return 0;
}

SEC("xdp")
int tick_xdp(struct xdp_md *ctx)
{
	tick();
	return XDP_PASS;
}

SEC("tc")
int tick_tc(struct __sk_buff *skb)
{
	tick();
	return 0; /* TC_ACT_OK */
}

SEC("socket")
int tick_socket(struct __sk_buff *skb)
{
	tick();
	return skb->len;
}

/* The kernel cannot test-run tracepoint programs: `run` must say so. */
SEC("tracepoint/syscalls/sys_enter_getpid")
int tick_tracepoint(void *ctx)
{
	tick();
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
