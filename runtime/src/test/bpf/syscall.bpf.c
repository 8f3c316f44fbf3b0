// SPDX-License-Identifier: GPL-2.0
/*
 * A SEC("syscall") program run from Java with BPF_PROG_TEST_RUN: it reads two numbers from its
 * context, writes their sum and product back into it, counts its runs in a global and returns the
 * difference.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct args {
	__s64 a;
	__s64 b;
	__s64 sum;
	__s64 product;
};

__u64 runs;

SEC("syscall")
int compute(struct args *ctx)
{
	ctx->sum = ctx->a + ctx->b;
	ctx->product = ctx->a * ctx->b;
	__sync_fetch_and_add(&runs, 1);
	return (int)(ctx->a - ctx->b);
}

char LICENSE[] SEC("license") = "GPL";
