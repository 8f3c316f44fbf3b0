# Sourced by bin/test and bin/demo: makes a fresh machine of this kind ready to build.
# - clang, llvm and libbpf-dev compile the BPF C sources, systemtap-sdt-dev's <sys/sdt.h> the USDT tests'
#   target (installed with apt-get when missing, as root);
# - a JDK 22 or newer builds and runs the project (FFM is final since 22), while `java` may be 17;
# - a BPF filesystem at /sys/fs/bpf, where maps are pinned (mounted as root when missing, as systemd
#   would at boot; a fresh container or VM may come without it).

bpfglobals_die() { echo "bpf-globals: $*" >&2; exit 1; }

bpfglobals_ensure_tools() {
  local missing=()
  command -v clang >/dev/null 2>&1 || missing+=(clang)
  command -v llvm-readelf >/dev/null 2>&1 || missing+=(llvm)
  [ -f /usr/include/bpf/bpf_helpers.h ] || missing+=(libbpf-dev)
  # <sys/sdt.h>: the USDT tests' target program carries probes made with it.
  [ -f "/usr/include/$(uname -m)-linux-gnu/sys/sdt.h" ] || [ -f /usr/include/sys/sdt.h ] || missing+=(systemtap-sdt-dev)
  command -v bpftool >/dev/null 2>&1 || missing+=(bpftool)
  command -v mvn >/dev/null 2>&1 || missing+=(maven)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    bpfglobals_die "missing ${missing[*]}: install them (apt-get install ${missing[*]}) or run as root"
  fi
  echo "bpf-globals: installing ${missing[*]} ..." >&2
  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2 \
    || bpfglobals_die "apt-get install ${missing[*]} failed"
}

bpfglobals_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'
}

bpfglobals_select_jdk() {
  local candidate major
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(bpfglobals_java_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge 22 ] 2>/dev/null; then
      export JAVA_HOME="$candidate"
      export PATH="$JAVA_HOME/bin:$PATH"
      return 0
    fi
  done
  bpfglobals_die "no JDK 22 or newer found in JAVA_HOME or /usr/lib/jvm: install one (e.g. Temurin 25) and set JAVA_HOME"
}

bpfglobals_ensure_bpffs() {
  awk '$2 == "/sys/fs/bpf" && $3 == "bpf" { found = 1 } END { exit !found }' /proc/self/mounts && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "bpf-globals: no BPF filesystem at /sys/fs/bpf; pinning tests will skip (as root: mount -t bpf bpf /sys/fs/bpf)" >&2
    return 0
  fi
  mount -t bpf bpf /sys/fs/bpf \
    || echo "bpf-globals: mounting a BPF filesystem at /sys/fs/bpf failed; pinning tests will skip or fail" >&2
}

# Maven 3.8 prints colour escapes (ESC[0m) even in batch mode; where no terminal reads the output,
# they are only noise in logs, so they are stripped. Maven's exit code is kept.
bpfglobals_mvn() {
  if [ -t 1 ]; then
    mvn "$@"
  else
    mvn "$@" 2>&1 | sed -u 's/\x1b\[[0-9;]*m//g'
    return "${PIPESTATUS[0]}"
  fi
}

bpfglobals_ensure_tools
bpfglobals_select_jdk
# Maven 3.8's bundled Guava uses sun.misc.Unsafe, which JDK 24+ warns about on every run (4 lines of
# noise, nothing of ours); allowing it silences the warning for Maven's own JVM only.
if [ "$(bpfglobals_java_major "$JAVA_HOME")" -ge 24 ] 2>/dev/null; then
  export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
fi
bpfglobals_ensure_bpffs
BPFGLOBALS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$BPFGLOBALS_ROOT"
