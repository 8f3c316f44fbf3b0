// An __arena global with no ARENA map to hold it: the loader refuses the object, naming the section.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define __arena __attribute__((address_space(1)))

__u64 __arena orphan = 1;

SEC("socket")
int touch(void *ctx)
{
	orphan++;
	return 0;
}

char _license[] SEC("license") = "GPL";
