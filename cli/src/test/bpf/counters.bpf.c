// SPDX-License-Identifier: GPL-2.0
#include <linux/types.h>
#include <bpf/bpf_helpers.h>

__u64 packets SEC(".percpu") = 0;
__u32 drops SEC(".percpu") = 5;

char LICENSE[] SEC("license") = "GPL";
