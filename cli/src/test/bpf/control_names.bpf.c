// SPDX-License-Identifier: GPL-2.0
/*
 * Names an object may hold but no terminal should act on: ESC [31m (red text) and a right-to-left
 * override (U+202E) in section names, an OSC window-title sequence ended by BEL in a program's section.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

__u32 red __attribute__((section(".data.\x1b[31mred"), used)) = 1;
__u32 flipped __attribute__((section(".data.\xe2\x80\xae" "dlrow"), used)) = 2;

SEC("xdp/\x1b]0;title\x07")
int pass(struct xdp_md *ctx)
{
	return red + flipped ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
