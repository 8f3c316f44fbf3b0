# Sourced by bin/kernel-vm: turns a Debian kernel package into what qemu boots: an uncompressed
# vmlinux (booted through its PVH entry, no decompressor to run) and a small initramfs with a static
# busybox, the modules for 9p and overlayfs (and the few the tests need), the kernel's config file,
# and the guest's init.

# The modules the guest needs to mount its root. virtio_pci is built in on 7.x and a module on 6.1;
# what is not found as a file is taken to be built in (the guest says so if a mount then fails).
KERNELVM_ROOT_MODULES="virtio_pci 9pnet_virtio 9p overlay"
# What the tests need beyond the root, loaded with it (the guest has no modprobe to autoload them):
# the clsact qdisc and the bpf classifier, which classic tc attachment (attachTcClassic, and
# attachTc before TCX) asks for, and veth, the pair XdpAttachTest sends packets across; Debian
# builds all three as modules on 6.1 and 7.x.
KERNELVM_TEST_MODULES="sch_ingress cls_bpf veth"

# Prepares IMAGE_DIR from PACKAGE's .deb files, downloaded once into DEBS_DIR.
kernelvm_prepare() {
  local dir=$1 package=$2 image_dir=$3 debs_dir=$4
  [ -s "$image_dir/vmlinux" ] && [ -s "$image_dir/initramfs.cpio.gz" ] && return 0
  if [ ! -f "$debs_dir/complete-with-config" ]; then
    rm -rf "$debs_dir"
    kernelvm_download "$dir" "$package" "$debs_dir"
    touch "$debs_dir/complete-with-config"
  fi
  mkdir -p "$(dirname "$image_dir")"
  local work
  work=$(mktemp -d "$image_dir.work.XXXXXX")
  note "unpacking $package ..."
  local deb
  for deb in "$debs_dir"/*.deb; do
    dpkg-deb -x "$deb" "$work/root" || die "cannot unpack $deb"
  done
  mkdir -p "$image_dir"
  kernelvm_extract_vmlinux "$work/root" "$work/vmlinux"
  kernelvm_build_initramfs "$work/root" "$work/initramfs.cpio.gz"
  mv "$work/vmlinux" "$work/initramfs.cpio.gz" "$image_dir/"
  rm -rf "$work"
}

# vmlinuz is setup code followed by the compressed kernel; find the stream by its magic number.
kernelvm_extract_vmlinux() {
  local root=$1 out=$2 vmlinuz offset
  vmlinuz=$(find "$root/boot" "$root/usr/lib/modules" "$root/lib/modules" -maxdepth 2 -name 'vmlinuz*' 2>/dev/null | head -n 1 || true)
  [ -n "$vmlinuz" ] || die "no vmlinuz in the kernel package"
  offset=$(LC_ALL=C grep -obUaP '\x28\xb5\x2f\xfd' "$vmlinuz" | head -n 1 | cut -d: -f1 || true)
  if [ -n "$offset" ]; then
    tail -c +"$((offset + 1))" "$vmlinuz" | zstd -dcq > "$out" 2>/dev/null || true
  else
    offset=$(LC_ALL=C grep -obUaP '\xfd7zXZ\x00' "$vmlinuz" | head -n 1 | cut -d: -f1 || true)
    [ -n "$offset" ] || die "$vmlinuz holds neither a zstd nor an xz stream"
    tail -c +"$((offset + 1))" "$vmlinuz" | xz -dcq --single-stream > "$out" 2>/dev/null || true
  fi
  [ "$(head -c 4 "$out" | od -An -tx1 | tr -d ' ')" = "7f454c46" ] \
    || die "the kernel extracted from $vmlinuz is not an ELF file"
}

# The module file for NAME under ROOT (module names use _ where file names may use -).
kernelvm_module_file() {
  local root=$1 name=$2
  find "$root" -path '*/kernel/*' \( -name "$name.ko*" -o -name "${name//_/-}.ko*" \) 2>/dev/null | head -n 1 || true
}

kernelvm_module_depends() {
  local file=$1
  case "$file" in
    *.xz) xz -dc "$file" ;;
    *.zst) zstd -dcq "$file" ;;
    *.gz) gzip -dc "$file" ;;
    *) cat "$file" ;;
  esac | tr '\0' '\n' | sed -n 's/^depends=//p' | head -n 1 | tr ',' ' '
}

# Appends NAME's dependencies, then NAME, to the load order (depth first, each once).
kernelvm_add_module() {
  local root=$1 name=$2 modules_dir=$3 file dep
  grep -qx "$name.ko" "$modules_dir/order" 2>/dev/null && return 0
  file=$(kernelvm_module_file "$root" "$name")
  [ -n "$file" ] || return 0
  for dep in $(kernelvm_module_depends "$file"); do
    kernelvm_add_module "$root" "$dep" "$modules_dir"
  done
  case "$file" in
    *.xz) xz -dc "$file" ;;
    *.zst) zstd -dcq "$file" ;;
    *.gz) gzip -dc "$file" ;;
    *) cat "$file" ;;
  esac > "$modules_dir/$name.ko"
  echo "$name.ko" >> "$modules_dir/order"
}

kernelvm_build_initramfs() {
  local root=$1 out=$2 tree name
  tree=$(dirname "$out")/initramfs
  mkdir -p "$tree"/{bin,dev,proc,sys,modules}
  : > "$tree/modules/order"
  for name in $KERNELVM_ROOT_MODULES $KERNELVM_TEST_MODULES; do
    kernelvm_add_module "$root" "$name" "$tree/modules"
  done
  cp /bin/busybox "$tree/bin/busybox"
  # The kernel's config as /boot/config-VERSION, where libbpf's __kconfig resolution looks (Debian
  # kernels have no /proc/config.gz). Older packages ship it there, newer ones (linux-base-*) as
  # /usr/lib/modules/VERSION/config.
  mkdir -p "$tree/boot"
  cp "$root"/boot/config-* "$tree/boot/" 2>/dev/null || true
  local config
  for config in "$root"/usr/lib/modules/*/config; do
    if [ -f "$config" ]; then cp "$config" "$tree/boot/config-$(basename "$(dirname "$config")")"; fi
  done
  cp "$here/kernel-vm.d/init" "$tree/init"
  chmod 755 "$tree/init"
  (cd "$tree" && find . | /bin/busybox cpio -o -H newc 2>/dev/null | gzip -1) > "$out" \
    || die "cannot build the guest's initramfs"
}
