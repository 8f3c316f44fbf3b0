# Sourced by bin/kernel-vm: finds Debian's kernel packages through a private apt setup, so the
# machine's own sources, lists and package state stay untouched.

# Suites that serve kernels newer than stable (sid, experimental, backports) and bookworm's 6.1.
KERNELVM_SUITES="sid experimental trixie-backports bookworm"
KERNELVM_MIRROR=${BPFGLOBALS_DEBIAN_MIRROR:-http://deb.debian.org/debian}

kernelvm_require_tools() {
  local missing=()
  command -v qemu-system-x86_64 >/dev/null 2>&1 || missing+=(qemu-system-x86)
  [ -x /bin/busybox ] && file -L /bin/busybox 2>/dev/null | grep -q 'statically linked' || missing+=(busybox-static)
  command -v zstd >/dev/null 2>&1 || missing+=(zstd)
  command -v xz >/dev/null 2>&1 || missing+=(xz-utils)
  command -v file >/dev/null 2>&1 || missing+=(file)
  command -v apt-get >/dev/null 2>&1 || die "apt-get is missing: kernel-vm takes kernels from Debian's archive"
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" -eq 0 ] || die "missing ${missing[*]}: run as root, or apt-get install ${missing[*]}"
  note "installing ${missing[*]} ..."
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; } >&2 \
    || die "apt-get install ${missing[*]} failed"
}

# apt options that point every state and cache directory at DIR.
kernelvm_apt_options() {
  local dir=$1
  echo "-o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts=$dir/sources \
-o Dir::State::Lists=$dir/lists -o Dir::Cache=$dir/cache -o Dir::State::status=/dev/null \
-o APT::Architecture=amd64 -o Debug::NoLocking=1 -o APT::Sandbox::User=root"
}

# Fetches the package lists of the kernel suites into DIR, at most once a day.
kernelvm_archive_lists() {
  local dir=$1
  mkdir -p "$dir/sources" "$dir/lists/partial" "$dir/cache/archives/partial"
  cat > "$dir/sources/kernels.sources" <<EOF
Types: deb
URIs: $KERNELVM_MIRROR
Suites: $KERNELVM_SUITES
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  if [ -n "$(find "$dir/lists" -maxdepth 1 -name '*_Packages' -mmin -1440 2>/dev/null | head -n 1)" ]; then
    return 0
  fi
  # shellcheck disable=SC2046
  apt-get $(kernelvm_apt_options "$dir") -qq update >&2 \
    || die "cannot reach Debian's archive ($KERNELVM_MIRROR) for the kernel package lists"
}

# Every plain amd64 kernel image package as "UPSTREAM NAME": linux-binary-7.3.4+deb13-amd64 (the
# newer naming; modules in linux-modules-*) and linux-image-6.1.0-50-amd64 (older: modules inside).
kernelvm_kernel_packages() {
  # shellcheck disable=SC2046
  apt-cache $(kernelvm_apt_options "$1") pkgnames linux- 2>/dev/null \
    | sed -n -E 's/^linux-binary-([0-9]+\.[0-9]+(\.[0-9]+)?\+deb[0-9]+)-amd64$/\1 &/p;
                 s/^linux-image-([0-9]+\.[0-9]+\.[0-9]+-[0-9]+)-amd64$/\1 &/p' \
    | sort -V -u
}

kernelvm_list_kernels() {
  echo "kernel packages in Debian's archive ($KERNELVM_SUITES):"
  kernelvm_kernel_packages "$1" | awk '{ print "  " $1 }'
}

# Prints the package that KERNEL names: an exact version from a package name, or the newest build
# of a short upstream version (7.3 -> 7.3.4+deb13, 6.1 -> 6.1.0-50).
kernelvm_resolve() {
  local dir=$1 kernel=$2 match
  [[ "$kernel" =~ ^[0-9]+\.[0-9]+([.+-][0-9A-Za-z.+-]*)?$ ]] \
    || die "'$kernel' is not a kernel version (try 7.3, 6.1 or 7.3.4+deb13; --list shows them)"
  match=$(kernelvm_kernel_packages "$dir" | awk -v k="$kernel" '$1 == k { print $2 }' | tail -n 1)
  if [ -z "$match" ]; then
    match=$(kernelvm_kernel_packages "$dir" \
      | awk -v k="$kernel" 'index($1, k ".") == 1 || index($1, k "+") == 1 { print $2 }' | tail -n 1)
  fi
  [ -n "$match" ] || die "Debian's archive serves no amd64 kernel $kernel (bin/kernel-vm --list shows what it has)"
  echo "$match"
}

# Downloads PACKAGE and, for the newer naming, its linux-modules-* and linux-base-* twins (the
# latter holds /boot/config-*) into DEST.
kernelvm_download() {
  local dir=$1 package=$2 dest=$3 packages=("$2")
  [[ "$package" == linux-binary-* ]] \
    && packages+=("linux-modules-${package#linux-binary-}" "linux-base-${package#linux-binary-}")
  mkdir -p "$dest"
  note "downloading ${packages[*]} ..."
  # shellcheck disable=SC2046
  (cd "$dest" && apt-get $(kernelvm_apt_options "$dir") -qq download "${packages[@]}") >&2 \
    || die "cannot download ${packages[*]} from Debian's archive"
}
