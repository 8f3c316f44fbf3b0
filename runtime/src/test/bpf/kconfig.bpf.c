// SPDX-License-Identifier: GPL-2.0
/*
 * __kconfig externs as libbpf's selftests (test_core_extern.c) declare them: the computed LINUX_*
 * values, CONFIG_* values of each kind (tristate, bool, char, integers of several sizes, a string
 * into a char array shorter and longer than it), and __weak ones this kernel lacks. The program
 * copies each into .bss so the test reads what the loader resolved.
 * -DSTRONG_MISSING adds a strong extern no kernel sets: the load must be refused naming it.
 */
#include <linux/types.h>
#include <bpf/bpf_helpers.h>

extern unsigned int LINUX_KERNEL_VERSION __kconfig;
extern _Bool LINUX_HAS_BPF_COOKIE __kconfig;
extern _Bool LINUX_HAS_SYSCALL_WRAPPER __kconfig;
extern int LINUX_UNKNOWN_VIRTUAL __kconfig __weak;
extern enum libbpf_tristate CONFIG_BPF_SYSCALL __kconfig;
extern enum libbpf_tristate CONFIG_BPF_GLOBALS_NO_SUCH_TRISTATE __kconfig __weak;
extern _Bool CONFIG_BPF_JIT __kconfig;
extern char CONFIG_BPF __kconfig;
extern int CONFIG_HZ __kconfig;
extern unsigned short CONFIG_NR_CPUS __kconfig;
extern __u64 CONFIG_ILLEGAL_POINTER_VALUE __kconfig __weak;
extern char CONFIG_DEFAULT_HOSTNAME[16] __kconfig;
extern char CONFIG_LOCALVERSION[3] __kconfig __weak;
extern __u64 CONFIG_BPF_GLOBALS_NO_SUCH_NUMBER __kconfig __weak;
#ifdef STRONG_MISSING
extern int CONFIG_BPF_GLOBALS_NO_SUCH_STRONG __kconfig;
#endif

__u32 kernel_version;
__u32 has_bpf_cookie;
__u32 has_syscall_wrapper;
__s32 unknown_virtual = -1;
__u32 bpf_syscall;
__u32 missing_tristate = 7;
__u32 bpf_jit;
__u32 bpf_char;
__s32 hz;
__u32 nr_cpus;
__u64 illegal_pointer_value;
char hostname[16];
char localversion[3];
__u64 missing_number = 7;
__s32 strong_missing;

SEC("raw_tp/sys_enter")
int read_kconfig(void *ctx)
{
	kernel_version = LINUX_KERNEL_VERSION;
	has_bpf_cookie = LINUX_HAS_BPF_COOKIE;
	has_syscall_wrapper = LINUX_HAS_SYSCALL_WRAPPER;
	unknown_virtual = LINUX_UNKNOWN_VIRTUAL;
	bpf_syscall = CONFIG_BPF_SYSCALL;
	missing_tristate = CONFIG_BPF_GLOBALS_NO_SUCH_TRISTATE;
	bpf_jit = CONFIG_BPF_JIT;
	bpf_char = CONFIG_BPF;
	hz = CONFIG_HZ;
	nr_cpus = CONFIG_NR_CPUS;
	illegal_pointer_value = CONFIG_ILLEGAL_POINTER_VALUE;
	__builtin_memcpy(hostname, CONFIG_DEFAULT_HOSTNAME, sizeof(hostname));
	__builtin_memcpy(localversion, CONFIG_LOCALVERSION, sizeof(localversion));
	missing_number = CONFIG_BPF_GLOBALS_NO_SUCH_NUMBER;
#ifdef STRONG_MISSING
	strong_missing = CONFIG_BPF_GLOBALS_NO_SUCH_STRONG;
#endif
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
