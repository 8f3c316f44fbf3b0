// SPDX-License-Identifier: GPL-2.0
/*
 * Global per-CPU data covering what mainline's selftest for the feature covers, written for this
 * project: .percpu holding an int array, an int, a bool, a char array, an int array and an
 * anonymous struct with a nested array; a custom .percpu.<name> section (its own map, with a name
 * longer than the kernel's 15 characters); a plain .bss counter shared by every CPU; and a
 * .data.<name> section whose name mentions percpu but which is ordinary data.
 *
 * Built twice. Natively, the program addresses the variables. With -DCOMPAT it reaches each
 * per-CPU section through a PERCPU_ARRAY map of the section's shape, named as the loader binds it
 * to the section's own map: __percpu_compat for .percpu, __percpu_compat_<name> for .percpu.<name>.
 *
 * Every variable has an initialiser: clang lays out initialised variables in definition order,
 * which the compat structs below mirror.
 */
#include <stddef.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

int cpu_seen[1] SEC(".percpu") = { 0 };
int value SEC(".percpu") = -1;
_Bool flag SEC(".percpu") = 0;
char label[6] SEC(".percpu") = "idle";
int counts[7] SEC(".percpu") = { 0 };
struct {
	char set;
	int i;
	int nums[7];
} record SEC(".percpu") = {
	.set = 0,
	.i = -1,
};

__u64 stamp SEC(".percpu.extra_counters") = 40;
int extra_runs SEC(".percpu.extra_counters") = 0;

int runs;

int not_percpu SEC(".data.percpu") = 3;

#ifdef COMPAT
/* The sections as C structs: the same members in the same order give the same offsets. */
struct percpu_section {
	int cpu_seen[1];
	int value;
	_Bool flag;
	char label[6];
	int counts[7];
	struct {
		char set;
		int i;
		int nums[7];
	} record;
};

struct extra_section {
	__u64 stamp;
	int extra_runs;
};

/* clang ends a section at its last byte; a struct is padded to its alignment. */
#define PERCPU_SIZE 80
#define EXTRA_SIZE 12
_Static_assert(sizeof(struct percpu_section) == PERCPU_SIZE, ".percpu layout");
_Static_assert(offsetof(struct extra_section, extra_runs) + sizeof(int) == EXTRA_SIZE, ".percpu.extra_counters layout");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(key_size, 4);
	__uint(value_size, PERCPU_SIZE);
	__uint(max_entries, 1);
} __percpu_compat SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(key_size, 4);
	__uint(value_size, EXTRA_SIZE);
	__uint(max_entries, 1);
} __percpu_compat_extra_counters SEC(".maps");

#define P(var) (p->var)
#define E(var) (e->var)
#else
#define P(var) (var)
#define E(var) (var)
#endif

SEC("raw_tp/task_rename")
int update_percpu(void *ctx)
{
#ifdef COMPAT
	__u32 zero = 0;
	struct percpu_section *p = bpf_map_lookup_elem(&__percpu_compat, &zero);
	struct extra_section *e = bpf_map_lookup_elem(&__percpu_compat_extra_counters, &zero);

	if (!p || !e)
		return 1;
#endif
	P(record).nums[6] = 0xc0de;
	P(record).set = 1;
	P(record).i = 1;
	P(counts)[6] = 0xc0de;
	P(value) = 1;
	P(flag) = 1;
	P(label)[0] = 'r';
	P(label)[1] = 'a';
	P(label)[2] = 'n';
	P(label)[3] = 0;
	P(cpu_seen)[0] = bpf_get_smp_processor_id();
	E(stamp) += 2;
	E(extra_runs) += 1;
	runs++;
	return 0;
}

/* Touches the custom section only: loaded alone, it shows how a direct reference to it is treated. */
SEC("raw_tp/task_rename")
int bump_extra(void *ctx)
{
#ifdef COMPAT
	__u32 zero = 0;
	struct extra_section *e = bpf_map_lookup_elem(&__percpu_compat_extra_counters, &zero);

	if (!e)
		return 1;
#endif
	E(extra_runs) += 1;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
