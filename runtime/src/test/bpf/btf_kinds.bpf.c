// SPDX-License-Identifier: GPL-2.0
/* Newer BTF kinds clang 14 emits: FLOAT, DECL_TAG and TYPE_TAG, next to the VAR, DATASEC, FUNC and
 * global FUNC every object has. The sanitiser must rewrite each for kernels that predate it. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

float scale = 1.5f;
int tagged __attribute__((btf_decl_tag("user_visible"))) = 3;
int *__attribute__((btf_type_tag("user"))) pointer;

__attribute__((noinline)) int twice(int x)
{
	return x * 2;
}

SEC("xdp")
int kinds(struct xdp_md *ctx)
{
	return twice(tagged) == 6 ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
