// SPDX-License-Identifier: Apache-2.0
/*
 * libbpf's side of LibbpfParityTest: opens and loads a BPF object with the system libbpf, as a
 * program using it would, and pins every program and map it made under PIN_DIR/progs and
 * PIN_DIR/maps (dots in names made '_', which bpffs requires), so the test can ask the kernel
 * what libbpf made. Programs libbpf left unloaded (autoload off) are not pinned. Maps declared
 * LIBBPF_PIN_BY_NAME are pinned by libbpf under PIN_DIR/byname (its pin_root_path), never under
 * /sys/fs/bpf, and pinned again under PIN_DIR/maps like the others.
 *   libbpf_reference OBJECT PIN_DIR    exit 0: loaded and pinned; 1: libbpf refused (why on stderr)
 */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

static int pin_path(char *path, size_t size, const char *dir, const char *kind, const char *name)
{
	int n = snprintf(path, size, "%s/%s/", dir, kind);

	if (n < 0 || (size_t)n >= size)
		return -1;
	for (const char *c = name; *c && (size_t)n < size - 1; c++)
		path[n++] = *c == '.' ? '_' : *c;
	path[n] = '\0';
	return 0;
}

int main(int argc, char **argv)
{
	struct bpf_object *object;
	struct bpf_program *program;
	struct bpf_map *map;
	char path[4096];
	int err;

	if (argc != 3) {
		fprintf(stderr, "usage: %s OBJECT PIN_DIR\n", argv[0]);
		return 2;
	}
	if (snprintf(path, sizeof(path), "%s/byname", argv[2]) >= (int)sizeof(path))
		return 2;
	LIBBPF_OPTS(bpf_object_open_opts, opts, .pin_root_path = path);
	object = bpf_object__open_file(argv[1], &opts);
	if (!object) {
		fprintf(stderr, "libbpf could not open %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	err = bpf_object__load(object);
	if (err) {
		fprintf(stderr, "libbpf could not load %s: %s\n", argv[1], strerror(-err));
		bpf_object__close(object);
		return 1;
	}
	bpf_object__for_each_program(program, object) {
		if (bpf_program__fd(program) < 0)
			continue;
		if (pin_path(path, sizeof(path), argv[2], "progs", bpf_program__name(program)) ||
		    bpf_program__pin(program, path)) {
			fprintf(stderr, "cannot pin program %s at %s\n", bpf_program__name(program), path);
			return 3;
		}
	}
	bpf_object__for_each_map(map, object) {
		if (bpf_map__fd(map) < 0)
			continue;
		/* A map libbpf pinned by name has its pin path: pin it a second time by descriptor. */
		if (pin_path(path, sizeof(path), argv[2], "maps", bpf_map__name(map)) ||
		    (bpf_map__is_pinned(map) ? bpf_obj_pin(bpf_map__fd(map), path) : bpf_map__pin(map, path))) {
			fprintf(stderr, "cannot pin map %s at %s\n", bpf_map__name(map), path);
			return 3;
		}
	}
	bpf_object__close(object);
	return 0;
}
