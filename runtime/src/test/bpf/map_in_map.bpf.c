// SPDX-License-Identifier: GPL-2.0
/*
 * Maps of maps initialised with .values, as libbpf's bpf_helpers.h declares them: an
 * ARRAY_OF_MAPS and a HASH_OF_MAPS whose slots hold one-entry counter arrays. Each program takes
 * the slot as its first raw tracepoint argument, finds the inner map there and counts one run in
 * it. Variants (-D) declare what the loader must refuse.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct counter {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 1);
};

struct counter inner_a SEC(".maps");
struct counter inner_b SEC(".maps");
struct counter inner_c SEC(".maps");

#ifdef NOT_A_MAP
__u64 not_a_map;
#endif

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__type(key, __u32);
	__uint(max_entries, 4);
#ifdef NO_INNER_ENTRIES
	__array(values, struct {
		__uint(type, BPF_MAP_TYPE_ARRAY);
		__type(key, __u32);
		__type(value, __u64);
	});
#elif defined(NESTED)
	__array(values, struct {
		__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
		__type(key, __u32);
		__uint(max_entries, 1);
		__array(values, struct counter);
	});
#else
	__array(values, struct counter);
#endif
} outer_array SEC(".maps") = {
#ifdef NOT_A_MAP
	.values = { [0] = (void *)&not_a_map },
#elif defined(BEYOND_ENTRIES)
	.values = { [0] = &inner_a, [4] = &inner_b },
#elif !defined(NO_INNER_ENTRIES) && !defined(NESTED)
	.values = { [0] = &inner_a, [3] = &inner_b },
#endif
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH_OF_MAPS);
	__type(key, __u32);
	__uint(max_entries, 8);
	__array(values, struct counter);
} outer_hash SEC(".maps") = {
	.values = { [5] = &inner_c },
};

#ifdef STORAGE_INNER
/* A task-local-storage template, which the kernel makes only with max_entries 0: none is declared. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__type(key, __u32);
	__uint(max_entries, 2);
	__array(values, struct {
		__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
		__uint(map_flags, BPF_F_NO_PREALLOC);
		__type(key, int);
		__type(value, __u64);
	});
} outer_storage SEC(".maps");
#endif

#ifdef BLOOM_INNER
/* Bloom filters whose hash count is map_extra, in a slot and as the template inner map. */
struct bloom {
	__uint(type, BPF_MAP_TYPE_BLOOM_FILTER);
	__type(value, __u32);
	__uint(max_entries, 16);
	__uint(map_extra, 3);
};

struct bloom bloom_a SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__type(key, __u32);
	__uint(max_entries, 2);
	__array(values, struct bloom);
} outer_bloom SEC(".maps") = {
	.values = { [0] = &bloom_a },
};
#endif

#ifdef RINGBUF_INNER
/* Ring buffers sized off the page multiple the kernel needs: the loader rounds them up, as libbpf does. */
struct ring {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1000);
};

struct ring ring_a SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH_OF_MAPS);
	__type(key, __u32);
	__uint(max_entries, 1);
	__array(values, struct ring);
} outer_ring SEC(".maps") = {
	.values = { [0] = &ring_a },
};
#endif

static __always_inline int count(void *outer, __u32 slot)
{
	__u32 zero = 0;
	void *inner = bpf_map_lookup_elem(outer, &slot);
	__u64 *counter;

	if (!inner)
		return -1;
	counter = bpf_map_lookup_elem(inner, &zero);
	if (!counter)
		return -2;
	__sync_fetch_and_add(counter, 1);
	return 0;
}

SEC("raw_tp/task_rename")
int count_in_array_slot(unsigned long long *ctx)
{
	return count(&outer_array, ctx[0]);
}

SEC("raw_tp/task_rename")
int count_in_hash_slot(unsigned long long *ctx)
{
	return count(&outer_hash, ctx[0]);
}

char LICENSE[] SEC("license") = "GPL";
