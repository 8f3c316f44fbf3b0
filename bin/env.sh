# Sourced by bin/test and bin/demo: makes a fresh machine of this kind ready to build.
# - clang, llvm and libbpf-dev compile the BPF C sources, systemtap-sdt-dev's <sys/sdt.h> the USDT tests'
#   target (installed with apt-get when missing, as root);
#   a caller that compiles no BPF C names the tools it needs in BPFGLOBALS_TOOLS (bin/bpf-globals: "maven"; bin/test adds
#   clang-19 for the tests' __arena programs);
# - a JDK 22 or newer builds and runs the project (FFM is final since 22), while `java` may be 17;
# - a BPF filesystem at /sys/fs/bpf, where maps are pinned (mounted as root when missing, as systemd
#   would at boot; a fresh container or VM may come without it).

bpfglobals_die() { echo "bpf-globals: $*" >&2; exit 1; }

bpfglobals_ensure_tools() {
  local missing=() wanted=" ${BPFGLOBALS_TOOLS:-clang llvm libbpf-dev systemtap-sdt-dev bpftool maven} "
  case $wanted in *" clang "*) command -v clang >/dev/null 2>&1 || missing+=(clang) ;; esac
  # clang-19: only bin/test asks for it (the tests' __arena programs; clang 14 cannot compile them).
  case $wanted in *" clang-19 "*) command -v clang-19 >/dev/null 2>&1 || missing+=(clang-19) ;; esac
  case $wanted in *" llvm "*) command -v llvm-readelf >/dev/null 2>&1 || missing+=(llvm) ;; esac
  case $wanted in *" libbpf-dev "*) [ -f /usr/include/bpf/bpf_helpers.h ] || missing+=(libbpf-dev) ;; esac
  # <sys/sdt.h>: the USDT tests' target program carries probes made with it.
  case $wanted in *" systemtap-sdt-dev "*) [ -f "/usr/include/$(uname -m)-linux-gnu/sys/sdt.h" ] || [ -f /usr/include/sys/sdt.h ] \
    || missing+=(systemtap-sdt-dev) ;; esac
  case $wanted in *" bpftool "*) command -v bpftool >/dev/null 2>&1 || missing+=(bpftool) ;; esac
  case $wanted in *" maven "*) command -v mvn >/dev/null 2>&1 || missing+=(maven) ;; esac
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    bpfglobals_die "missing ${missing[*]}: install them (apt-get install ${missing[*]}) or run as root"
  fi
  echo "bpf-globals: installing ${missing[*]} ..." >&2
  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2 \
    || bpfglobals_die "apt-get install ${missing[*]} failed"
}

# The feature release of the JDK at $1 (25 for "25.0.3"), from its release file: no JVM is started
# to ask (four such probes cost about 170 ms a call). Empty when there is no release file.
bpfglobals_java_major() {
  local key value
  [ -r "$1/release" ] || return 0
  while IFS='=' read -r key value; do
    if [ "$key" = JAVA_VERSION ]; then
      value=${value//\"/}
      value=${value#1.}
      echo "${value%%[.+-]*}"
      return 0
    fi
  done <"$1/release"
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
