// An ARENA map, __arena globals and the arena kfuncs, as mainline's arena selftests use them.
// Needs clang 19 or later (address_space(1) pointers and addr_space_cast), hence this directory of its own:
// BpfObjects.compileWithClang19 builds it.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#ifndef __BPF_FEATURE_ADDR_SPACE_CAST
#error "__arena needs clang 19 or later (addr_space_cast)"
#endif

#define __arena __attribute__((address_space(1)))
#define BPF_MAP_TYPE_ARENA_ 33 /* the system's linux/bpf.h (6.1) predates arenas */
#define NUMA_NO_NODE (-1)
#ifndef __ulong /* libbpf 1.1's bpf_helpers.h predates it; as later ones define it */
#define __ulong(name, val) enum { ___bpf_concat(__unique_value, __COUNTER__) = val } name
#endif

#ifndef ARENA_FLAGS
#define ARENA_FLAGS BPF_F_MMAPABLE
#endif

struct {
	__uint(type, BPF_MAP_TYPE_ARENA_);
	__uint(map_flags, ARENA_FLAGS);
	__uint(max_entries, 4); /* pages */
#ifdef ARENA_AT
	__ulong(map_extra, ARENA_AT); /* the arena's user address */
#endif
} arena SEC(".maps");

#ifdef SECOND_ARENA /* refused: an object may declare one arena */
struct {
	__uint(type, BPF_MAP_TYPE_ARENA_);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 1);
} second SEC(".maps");
#endif

void __arena *bpf_arena_alloc_pages(void *map, void __arena *addr, __u32 page_cnt, int node_id, __u64 flags) __ksym __weak;
void bpf_arena_free_pages(void *map, void __arena *ptr, __u32 page_cnt) __ksym __weak;

/* The __arena globals: the loader puts them at the start of the arena, from these initialisers. */
__u64 __arena runs = 7;
__u64 __arena from_java;
__u64 __arena echo;
int __arena *__arena page;

#ifndef WITHOUT_KFUNCS /* without them, an object the light loader's planner reaches the ARENA map of */
/* Allocates a page, writes into it and publishes it; counts the run and echoes what Java wrote. */
SEC("socket")
int allocate(void *ctx)
{
	int __arena *fresh = bpf_arena_alloc_pages(&arena, NULL, 1, NUMA_NO_NODE, 0);

	if (!fresh)
		return 1;
	fresh[0] = 0xC0FFEE;
	page = fresh;
	runs++;
	echo = from_java;
	return 0;
}

#endif

/* Returns what Java wrote into the page's second int. */
SEC("socket")
int read_back(void *ctx)
{
	int __arena *published = page;

	if (!published)
		return -1;
	return published[1];
}

#ifndef WITHOUT_KFUNCS
/* Frees the page again. */
SEC("socket")
int release(void *ctx)
{
	int __arena *published = page;

	if (!published)
		return 1;
	bpf_arena_free_pages(&arena, published, 1);
	page = NULL;
	return 0;
}
#endif

char _license[] SEC("license") = "GPL";
