// SPDX-License-Identifier: GPL-2.0
/*
 * An fentry program on x86-64's getpgid handler that records the bpf_cookie of its tracing link
 * (6.0+) and counts process target_tgid's calls.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

__u32 target_tgid;
__u64 fentry_cookie;
__u64 fentry_calls;

SEC("fentry/__x64_sys_getpgid")
int fentry_with_cookie(void *ctx)
{
	if ((bpf_get_current_pid_tgid() >> 32) == target_tgid) {
		fentry_cookie = bpf_get_attach_cookie(ctx);
		__sync_fetch_and_add(&fentry_calls, 1);
	}
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
