#!/usr/bin/env bash
# Run by the cli module's package phase (pom.xml): completes the installable tool in
# target/bpf-globals, whose lib/ the dependency plugin has just filled with the runtime jars:
#   bin/bpf-globals        the launcher (src/main/dist/bin), which works through a symlink
#   lib/*.jar              the tool's jar and its dependencies (picocli's with its Java 5 class files
#                          rewritten as Java 8 ones, with stack maps, for the cache: UpgradeClassFiles.java)
#   lib/java-home          the JDK that built it, which the launcher falls back to
#   lib/bpf-globals.aot    an ahead-of-time cache (JDK 25+), trained here on the tool's own commands,
#   lib/bpf-globals.aot.jdk  with the exact JDK build that made it (the launcher checks both)
#   lib/bpf-globals-files.aot(.jdk)  the same, trained only on the commands that read files
#                          (inspect, check, help): the launcher gives them this smaller cache (see below)
#   lib/bpf-globals-export.aot(.jdk)  the same for export, on its class path and options
#   lib/export-java-options  export's JVM options, which the launcher and the training share
#   lib/class-path         the jars of every command's class path, in order (src/main/dist/lib)
#   lib/export-class-path  the jars export adds: every other jar, in the C locale's order
# The launcher reads both lists and the training here runs on them, so the class paths the caches
# were trained on and those they are used with are the same by construction.
# Usage: assemble.sh BASEDIR TARGET_DIR JAR JAVA_HOME SKIP_AOT
set -euo pipefail
basedir=$1 target=$2 jar=$3 java_home=$4 skip_aot=${5:-false}
dist=$target/bpf-globals
lib=$dist/lib
mkdir -p "$dist/bin" "$lib"
cp "$basedir/src/main/dist/bin/bpf-globals" "$dist/bin/bpf-globals"
chmod 755 "$dist/bin/bpf-globals"
cp "$target/$jar" "$lib/bpf-globals-cli.jar"
cp "$basedir/src/main/dist/lib/export-java-options" "$basedir/src/main/dist/lib/class-path" "$lib/"
(
  export LC_ALL=C
  for path in "$lib"/*.jar; do
    grep -qxF "${path##*/}" "$lib/class-path" || echo "${path##*/}"
  done
) >"$lib/export-class-path"
echo "$java_home" >"$lib/java-home"
rm -f "$lib"/bpf-globals*.aot "$lib"/bpf-globals*.aot.jdk

jdk_build='' jdk_major=''
while IFS='=' read -r key value; do
  value=${value//\"/}
  case $key in
    JAVA_VERSION) jdk_major=${value%%[.+-]*} ;;
    JAVA_RUNTIME_VERSION) jdk_build=$value ;;
  esac
done <"$java_home/release"
if [ "$skip_aot" = true ]; then
  echo "bpf-globals: no AOT cache (bpfglobals.aot.skip): the tool runs without one"
  exit 0
fi
if [ "${jdk_major:-0}" -lt 25 ]; then
  echo "bpf-globals: no AOT cache: JDK $jdk_major cannot train one in one run (JDK 25 can); the tool runs without it"
  exit 0
fi

# picocli's classes are Java 5 class files, which the cache cannot hold linked: rewritten with stack maps, it can.
"$java_home/bin/java" "$basedir/src/main/dist/UpgradeClassFiles.java" "$lib/picocli.jar"

# The commands to train on: each takes its usual path once. Those that need a BPF object need
# clang and libbpf's headers; those that load need root and a BPF filesystem. What this machine
# cannot run is left out, saying so; the cache then still holds the start-up every command shares.
work=$target/aot-training
rm -rf "$work"
mkdir -p "$work"
# Two caches. A JDK 25 cache's classes are all loaded when the JVM starts, whether a command uses
# them or not, so inspect would pay for the FFM linker, the class-file API and the loader that load
# trains in (about 3 ms of its 60). The commands that only read files get a cache of their own.
files_commands=(--help --then --version --then help load --then nonsense --then inspect "$work/missing.o"
  --then check "$work/missing.o" --contract "$work/missing.json")
commands=(--help --then --version --then help load --then features --then nonsense --then inspect "$work/missing.o")
object=$work/training.bpf.o
if command -v clang >/dev/null && [ -f /usr/include/bpf/bpf_helpers.h ] \
    && clang -O2 -g -target bpf -Wall -Werror -I"/usr/include/$(uname -m)-linux-gnu" \
         -c "$basedir/src/main/aot/training.bpf.c" -o "$object"; then
  files_commands+=(--then inspect "$object" --then inspect "$object" --json)
  commands+=(--then inspect "$object" --then inspect "$object" --json)
  pins=/sys/fs/bpf/bpf-globals-aot-training-$$
  if [ "$(id -u)" -eq 0 ] && awk '$2 == "/sys/fs/bpf" && $3 == "bpf" { f = 1 } END { exit !f }' /proc/self/mounts; then
    trap 'rm -rf "$pins"' EXIT
    commands+=(--then load "$object" --pin "$pins" --set .data.step=2
      --then run "$pins/progs/count_packet" --cpu 0 --repeat 2
      --then dump --pinned "$pins/maps/_bss" --then dump --pinned "$pins/maps/_data" --json)
  else
    echo "bpf-globals: AOT training leaves out load, run and dump (they need root and a BPF filesystem)"
  fi
else
  echo "bpf-globals: AOT training leaves out inspect, load, run and dump (no clang or libbpf headers to build its object)"
fi

# The launcher's class path (lib/class-path; export appends lib/export-class-path) and the same
# options as its short commands: the JVM uses a cache only for a class path that starts with the one
# it was trained on.
classpath=''
while read -r name; do classpath+=${classpath:+:}$lib/$name; done <"$lib/class-path"

short_options=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC)

# train NAME COMMAND...: writes lib/NAME.aot from one run of the commands, and lib/NAME.aot.jdk, on
# $classpath with ${options[@]}, as the launcher runs them. The JVM's own lines and one per command
# trained go to a log, shown when no cache comes of it.
train() {
  local cache=$lib/$1.aot log=$work/$1.log
  shift
  "$java_home/bin/java" --enable-native-access=ALL-UNNAMED "${options[@]}" \
    -XX:AOTCacheOutput="$cache" -Xlog:aot=error -Xlog:cds=error \
    -cp "$classpath" dev.bpfglobals.cli.AotTraining "$@" >"$log" 2>&1 || true
  if [ ! -f "$cache" ]; then
    cat "$log" >&2
    echo "bpf-globals: the JVM wrote no AOT cache (above: $log)" >&2
    exit 1
  fi
  echo "$jdk_build" >"$cache.jdk"
  echo "bpf-globals: AOT cache $cache ($(du -k "$cache" | cut -f1) KiB, JDK $jdk_build," \
    "trained on $(grep -c '^bpf-globals: trained' "$log") commands: $log)"
}
options=("${short_options[@]}")
train bpf-globals "${commands[@]}"
train bpf-globals-files "${files_commands[@]}"

# export: the launcher's class path for it and its options for a long-running server, serving the
# training object's maps from the load above and scraped once. Only where that load ran; without
# this cache export starts from the jars.
if [ -d "${pins:-}/maps" ]; then
  while read -r name; do classpath+=:$lib/$name; done <"$lib/export-class-path"
  read -r -a options <"$lib/export-java-options"
  train bpf-globals-export export --listen 127.0.0.1:0 "$pins/maps/_bss" "$pins/maps/_data"
else
  echo "bpf-globals: no AOT cache for export (it serves the maps load pins, which needs root and a BPF filesystem)"
fi
