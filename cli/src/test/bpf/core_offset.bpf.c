// A CO-RE program built the libbpf-bootstrap way, for `load --kernel-btf`: the offset it records
// is the one the kernel BTF used at load time gives, so a test can tell which BTF was used.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

int pid_offset = -1;

SEC("raw_tp/sys_enter")
int record_pid_offset(void *ctx)
{
	pid_offset = bpf_core_field_offset(struct task_struct, pid);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
