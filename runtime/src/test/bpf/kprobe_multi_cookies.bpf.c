// SPDX-License-Identifier: GPL-2.0
/*
 * A kprobe.multi program adding the cookie of the function it runs on (bpf_get_attach_cookie) to
 * cookie_sum, for one process's calls (target_tgid, set after load): each function's calls weigh
 * its own cookie, so a cookie paired with the wrong function changes the sum.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

__u32 target_tgid;
__u64 calls;
__u64 cookie_sum;

SEC("kprobe.multi")
int on_cookie(void *ctx)
{
	if ((bpf_get_current_pid_tgid() >> 32) != target_tgid)
		return 0;
	__sync_fetch_and_add(&calls, 1);
	__sync_fetch_and_add(&cookie_sum, bpf_get_attach_cookie(ctx));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
