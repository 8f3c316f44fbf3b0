#!/usr/bin/env bash
# Compiles every *.bpf.c here into HEADERS/../bpf/*.bpf.o with clang's BPF target, against the
# headers the annotation processor generated. Compat mode: this kernel (6.18) cannot let programs
# touch .percpu variables directly (CONTRACT.md), so programs reach the same map by lookup.
set -euo pipefail
headers=$1
out=$2
src=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
for c in "$src"/*.bpf.c; do
  name=$(basename "$c" .c)
  clang -O2 -g -target bpf -Wall -Werror -DBPF_GLOBALS_COMPAT \
    -I"$headers" -I"/usr/include/$(uname -m)-linux-gnu" -c "$c" -o "$out/$name.o"
  echo "bpf-globals: compiled $name.o"
done
