// SPDX-License-Identifier: GPL-2.0
/* Bitfields for the skeleton generator: signed, unsigned, _Bool and 64-bit ones packed into one struct,
 * and one in a union; written by one XDP program run (last_*) and from Java (java_flags). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct flags {
	__u32 urgent : 1;
	__s32 level : 4;
	__u32 code : 11;
	__u64 wide : 40;
	_Bool on : 1;
	__s64 neg : 7;
	__u8 tail;
};

union mode_bits {
	__u32 raw;
	__u32 mode : 3;
};

struct flags last_flags;
struct flags java_flags;
union mode_bits last_mode;

SEC("xdp")
int write_bitfields(struct xdp_md *ctx)
{
	last_flags.urgent = 1;
	last_flags.level = -3;
	last_flags.code = 1234;
	last_flags.wide = 0x123456789aULL;
	last_flags.on = 1;
	last_flags.neg = -50;
	last_flags.tail = 0x7f;
	last_mode.raw = 0x2d;
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
