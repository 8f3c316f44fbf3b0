// SPDX-License-Identifier: GPL-2.0
/* Global sections of every kind: .percpu, where clang puts a, b, c, d, name, e at offsets 0, 8,
 * 16, 20, 28, 33 and ends the section at 34 (ObjectSpecTest reads that back; the processor's
 * SectionLayoutTest derives the same without clang), .data, .bss, .rodata, and custom .data.* /
 * .rodata.* sections, with scalars, an enum, a _Bool, arrays and a struct. No programs: the reader
 * needs none. */
#include <linux/types.h>
#include <bpf/bpf_helpers.h>

struct pair {
	__u32 x;
	__u8 y;
};

enum mode { MODE_OFF, MODE_ON };

__u8 a SEC(".percpu") = 0;
__u64 b SEC(".percpu") = 0;
__u16 c SEC(".percpu") = 7;
struct pair d SEC(".percpu") = {};
char name[5] SEC(".percpu") = "abcd";
__u8 e SEC(".percpu") = 0;

__u32 limit = 1500;
__s64 offsets[3] = { -1, 2, -3 };
enum mode state = MODE_ON;
_Bool enabled = 1;
__u64 seen;
struct pair last;
const volatile __u32 mode = 3;
__u16 custom_counter SEC(".data.custom") = 9;
const __u64 custom_limit SEC(".rodata.custom") = 77;

char LICENSE[] SEC("license") = "Dual BSD/GPL";
