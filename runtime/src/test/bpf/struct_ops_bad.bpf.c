// SPDX-License-Identifier: GPL-2.0
/*
 * struct_ops maps the loader must refuse, one per variant (-D...), written without vmlinux.h:
 * UNKNOWN_STRUCT a struct no kernel registers; SHORT_NAME a tcp_congestion_ops whose 'name' is
 * shorter than the kernel's; KPROBE_SLOT a kprobe program in a callback slot; UNREFERENCED a
 * struct_ops program no map names. OPTIONAL_INIT is no refusal: a map names a '?' program.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char _license[] SEC("license") = "GPL";

#ifdef OPTIONAL_INIT
SEC("?struct_ops/bad_init") /* autoload off, yet a map names it: it loads, as libbpf loads it */
#else
SEC("struct_ops/bad_init")
#endif
int bad_init(unsigned long long *ctx)
{
	return 0;
}

#ifdef KPROBE_SLOT
SEC("kprobe/do_nanosleep")
int bad_kprobe(void *ctx)
{
	return 0;
}
#endif

#ifdef UNREFERENCED
SEC("struct_ops/bad_unused")
int bad_unused(unsigned long long *ctx)
{
	return 0;
}
#endif

#ifdef UNKNOWN_STRUCT
struct bg_no_such_ops {
	int (*init)(unsigned long long *ctx);
};

SEC(".struct_ops")
struct bg_no_such_ops bad_ops = {
	.init = (void *)bad_init,
};
#else
/* The kernel's struct, as far as this test needs it; ___bad is a flavour, matched as tcp_congestion_ops. */
struct tcp_congestion_ops___bad {
	int (*init)(unsigned long long *ctx);
#ifdef SHORT_NAME
	char name[8];
#else
	char name[16];
#endif
};

SEC(".struct_ops")
struct tcp_congestion_ops___bad bad_ops = {
#ifdef KPROBE_SLOT
	.init = (void *)bad_kprobe,
#else
	.init = (void *)bad_init,
#endif
	.name = "bgca_bad",
};
#endif
