// SPDX-License-Identifier: GPL-2.0
/* Global sections of every kind, with CONTRACT.md's measured .percpu example. */
#include <linux/types.h>
#include <bpf/bpf_helpers.h>

struct pair {
	__u32 x;
	__u8 y;
};

__u8 a SEC(".percpu") = 0;
__u64 b SEC(".percpu") = 0;
__u16 c SEC(".percpu") = 7;
struct pair d SEC(".percpu") = {};
char name[5] SEC(".percpu") = "abcd";
__u8 e SEC(".percpu") = 0;

__u32 limit = 1500;
__u64 seen;
const volatile __u32 mode = 3;

char LICENSE[] SEC("license") = "GPL";
