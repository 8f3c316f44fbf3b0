#!/usr/bin/env bash
# Compiles every *.bpf.c here twice, against the headers the annotation processor generated:
#   NAME.bpf.o         compat mode (-DBPF_GLOBALS_COMPAT): programs reach .percpu through a map
#                      lookup, which every kernel with PERCPU_ARRAY maps runs (the host's 6.18);
#   NAME.native.bpf.o  native mode: programs address .percpu variables directly, which needs a
#                      kernel with global per-CPU data (7.3 does; `bin/bpf-globals features` says).
# The C source is the same: the header's BPF_PERCPU(var) is the switch. The demos pick the build
# the running kernel can load (PercpuMode.forThisKernel).
set -euo pipefail
headers=$1
out=$2
src=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
compile() {
  clang -O2 -g -target bpf -Wall -Werror "$@" \
    -I"$headers" -I"/usr/include/$(uname -m)-linux-gnu"
}
for c in "$src"/*.bpf.c; do
  name=$(basename "$c" .bpf.c)
  compile -DBPF_GLOBALS_COMPAT -c "$c" -o "$out/$name.bpf.o"
  compile -c "$c" -o "$out/$name.native.bpf.o"
  echo "bpf-globals: compiled $name.bpf.o (compat) and $name.native.bpf.o (native)"
done
