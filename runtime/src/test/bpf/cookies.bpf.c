// SPDX-License-Identifier: GPL-2.0
/*
 * Programs that read the caller's bpf_cookie of the link that runs them (bpf_get_attach_cookie):
 * a uprobe, a uprobe.multi (the sum of its functions' cookies), a tracepoint and a kprobe. Each
 * counts only the calls of process target_tgid, or of every process while it is 0.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

__u32 target_tgid;
__u64 uprobe_cookie;
__u64 uprobe_calls;
__u64 multi_cookie_sum;
__u64 multi_calls;
__u64 tracepoint_cookie;
__u64 tracepoint_calls;
__u64 kprobe_cookie;
__u64 kprobe_calls;

static __always_inline int counted(void)
{
	return target_tgid == 0 || (bpf_get_current_pid_tgid() >> 32) == target_tgid;
}

SEC("uprobe")
int uprobe_with_cookie(void *ctx)
{
	if (counted()) {
		uprobe_cookie = bpf_get_attach_cookie(ctx);
		__sync_fetch_and_add(&uprobe_calls, 1);
	}
	return 0;
}

SEC("uprobe.multi")
int multi_with_cookies(void *ctx)
{
	if (counted()) {
		__sync_fetch_and_add(&multi_cookie_sum, bpf_get_attach_cookie(ctx));
		__sync_fetch_and_add(&multi_calls, 1);
	}
	return 0;
}

SEC("tp/syscalls/sys_enter_getpid")
int tracepoint_with_cookie(void *ctx)
{
	if (counted()) {
		tracepoint_cookie = bpf_get_attach_cookie(ctx);
		__sync_fetch_and_add(&tracepoint_calls, 1);
	}
	return 0;
}

SEC("kprobe")
int kprobe_with_cookie(void *ctx)
{
	if (counted()) {
		kprobe_cookie = bpf_get_attach_cookie(ctx);
		__sync_fetch_and_add(&kprobe_calls, 1);
	}
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
