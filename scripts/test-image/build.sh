#!/usr/bin/env bash
# Builds Kura's bootable test disk from Debian packages alone (no other
# downloads): the host's Debian kernel, a busybox initramfs whose /init
# prints a banner on the serial console, and a FAT image that syslinux boots.
#
#   scripts/test-image/build.sh [OUTDIR]
#
# OUTDIR defaults to $KURA_TEST_IMAGE_DIR, else <repo>/.kura/cache/test-image.
# Writes OUTDIR/test-image.raw, test-image.qcow2, test-image.qcow2.gz and
# test-image.inputs (what the build was made from). A second run with the
# same inputs does nothing. Prints the raw image's path on stdout (only that).
#
# Exit codes: 0 built or up to date; 3 Debian packages are missing and we are
# not root (one line on stderr names them); 1 anything else.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
OUT="${1:-${KURA_TEST_IMAGE_DIR:-$REPO/.kura/cache/test-image}}"
IMAGE_MIB=32
LABEL=KURATEST
BANNER=KURA-TEST-IMAGE

# Kernel modules the guest loads: virtio disks and network, the SATA/IDE
# CD-ROMs and SCSI disks config drives arrive on, ISO 9660 and FAT to read
# them, and the ACPI power button (so a graceful stop powers off).
MODULES=(virtio_pci virtio_blk virtio_scsi virtio_net virtio_console ata_piix ahci sd_mod sr_mod isofs vfat nls_cp437 nls_utf8 nls_ascii button evdev)

log() { echo "test-image: $*" >&2; }
die() { log "$*"; exit 1; }

# --- prerequisites -----------------------------------------------------------

need_packages=()
has_pkg() { dpkg-query -W -f '${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
has_pkg linux-image-amd64 || compgen -G '/boot/vmlinuz-*' >/dev/null || need_packages+=(linux-image-amd64)
has_pkg busybox-static || need_packages+=(busybox-static)
command -v syslinux >/dev/null || need_packages+=(syslinux)
[ -d /usr/lib/syslinux/modules/bios ] || has_pkg syslinux-common || need_packages+=(syslinux-common)
command -v mcopy >/dev/null || need_packages+=(mtools)
command -v mkfs.vfat >/dev/null || need_packages+=(dosfstools)
command -v qemu-img >/dev/null || need_packages+=(qemu-utils)
command -v modprobe >/dev/null || need_packages+=(kmod)
command -v cpio >/dev/null || need_packages+=(cpio)

if [ "${#need_packages[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "test-image: missing Debian packages: ${need_packages[*]} (as root: apt-get install ${need_packages[*]})" >&2
    exit 3
  fi
  log "installing ${need_packages[*]}"
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y --no-install-recommends "${need_packages[@]}" >&2; then
    apt-get update >&2
    apt-get install -y --no-install-recommends "${need_packages[@]}" >&2
  fi
fi

# The newest installed kernel that has its modules.
KVER=""
for k in $(ls /boot/vmlinuz-* 2>/dev/null | sed 's#^/boot/vmlinuz-##' | sort -V); do
  [ -d "/lib/modules/$k" ] && KVER="$k"
done
[ -n "$KVER" ] || die "no kernel in /boot with modules in /lib/modules"
KERNEL="/boot/vmlinuz-$KVER"
[ -r "$KERNEL" ] || die "$KERNEL is not readable"
BUSYBOX="$(command -v busybox || true)"
[ -n "$BUSYBOX" ] && file -L "$BUSYBOX" | grep -q 'statically linked' || BUSYBOX=/bin/busybox
file -L "$BUSYBOX" | grep -q 'statically linked' || die "$BUSYBOX is not the static busybox (install busybox-static)"

# --- cache ---------------------------------------------------------------------

pkg_version() { dpkg-query -W -f '${Version}' "$1" 2>/dev/null || echo none; }
inputs="$(
  echo "script $(sha256sum "$HERE/build.sh" | cut -d' ' -f1)"
  echo "kernel $KVER $(sha256sum "$KERNEL" | cut -d' ' -f1)"
  echo "busybox $(sha256sum "$BUSYBOX" | cut -d' ' -f1)"
  echo "syslinux $(pkg_version syslinux) $(pkg_version syslinux-common)"
  echo "qemu-img $(qemu-img --version | head -1)"
  echo "modules ${MODULES[*]}"
)"

mkdir -p "$OUT"
exec 9>"$OUT/.lock"
flock 9
if [ -f "$OUT/test-image.raw" ] && [ -f "$OUT/test-image.qcow2" ] && [ -f "$OUT/test-image.qcow2.gz" ] &&
   [ -f "$OUT/test-image.inputs" ] && [ "$(cat "$OUT/test-image.inputs")" = "$inputs" ]; then
  log "up to date in $OUT"
  echo "$OUT/test-image.raw"
  exit 0
fi

WORK="$(mktemp -d "$OUT/.build.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
log "building from kernel $KVER into $OUT"

# --- initramfs -----------------------------------------------------------------

ROOT="$WORK/root"
mkdir -p "$ROOT"/{bin,dev,proc,sys,tmp,mnt,run,etc/kura-test/hooks.d,lib/modules}
cp "$BUSYBOX" "$ROOT/bin/busybox"
for applet in $("$BUSYBOX" --list); do
  [ "$applet" = busybox ] || ln -sf busybox "$ROOT/bin/$applet"
done
ln -s bin "$ROOT/sbin"

# Modules with their dependencies, in load order.
: > "$ROOT/etc/modules.order"
for m in "${MODULES[@]}"; do
  modprobe --show-depends -S "$KVER" "$m" 2>/dev/null | awk '$1 == "insmod" { print $2 }'
done | awk '!seen[$0]++' | while read -r ko; do
  name="$(basename "$ko")"
  cp "$ko" "$ROOT/lib/modules/$name"
  echo "$name" >> "$ROOT/etc/modules.order"
done
[ -s "$ROOT/etc/modules.order" ] || die "found none of the kernel modules ${MODULES[*]} for $KVER"

cat > "$ROOT/etc/inittab" <<'EOF'
::sysinit:/etc/kura-test/boot
ttyS0::respawn:-/bin/sh
tty1::respawn:-/bin/sh
::shutdown:/bin/sync
EOF

# busybox acpid runs /etc/acpi/PWRF/00000080 when the power button is pressed
# (QEMU's system_powerdown, a graceful VM stop): power off cleanly.
mkdir -p "$ROOT/etc/acpi/PWRF"
printf '#!/bin/sh\necho "KURA-TEST-IMAGE power button: powering off" > /dev/console\nexec poweroff\n' > "$ROOT/etc/acpi/PWRF/00000080"
chmod 755 "$ROOT/etc/acpi/PWRF/00000080"

echo 'export PS1="kura-test:\w# "' > "$ROOT/etc/profile"
echo "root:x:0:0:root:/:/bin/sh" > "$ROOT/etc/passwd"
echo "root:x:0:" > "$ROOT/etc/group"

# /init: the kernel runs it first; it sets /dev up and hands over to busybox init.
cat > "$ROOT/init" <<'EOF'
#!/bin/sh
export PATH=/bin
mount -t devtmpfs devtmpfs /dev
# The initramfs has no /dev/console node (it is built without root): use devtmpfs's.
exec </dev/console >/dev/console 2>&1
exec /bin/init
EOF

# The boot script, run once by init (::sysinit).
cat > "$ROOT/etc/kura-test/boot" <<EOF
#!/bin/sh
BANNER=$BANNER
EOF
cat >> "$ROOT/etc/kura-test/boot" <<'EOF'
export PATH=/bin
mkdir -p /proc /sys /dev/pts /run
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /run
hostname kura-test

say() {
  echo "$BANNER $*"
  # Also on the screen, for the VNC console (tty0 may not exist with -nographic).
  echo "$BANNER $*" > /dev/tty0 2>/dev/null || true
}

say "booted (kernel $(uname -r), $(cut -d' ' -f1 /proc/uptime) s after power-on)"

for m in $(cat /etc/modules.order); do insmod "/lib/modules/$m" 2>/dev/null; done

# Config drive: a NoCloud (files meta-data and user-data; label cidata) or
# OpenStack (openstack/; label config-2) drive, on ISO 9660 or FAT. Block
# devices appear as their drivers probe: wait until the list stops changing
# (at most 3 s), then look at each once.
show_file() {
  say "config-drive file: $2"
  head -c 65536 "$1/$2" | sed "s/^/$BANNER | /"
  echo
}

settle_block_devices() {
  last="" same=0 i=0
  while [ $i -lt 30 ] && [ $same -lt 3 ]; do
    now=$(ls /sys/class/block 2>/dev/null | tr '\n' ' ')
    if [ "$now" = "$last" ]; then same=$((same + 1)); else same=0; last=$now; fi
    i=$((i + 1))
    sleep 0.1
  done
}

find_config_drive() {
  settle_block_devices
  for dev in /sys/class/block/*; do
    name=${dev##*/}
    # Empty CD-ROM drives report size 0; skip them rather than wait on them.
    [ -b "/dev/$name" ] && [ "$(cat "$dev/size" 2>/dev/null || echo 0)" != 0 ] || continue
    mkdir -p "/mnt/$name"
    for fs in iso9660 vfat; do
      mount -o ro -t $fs "/dev/$name" "/mnt/$name" 2>/dev/null || continue
      if [ ! -e "/mnt/$name/KURATEST.TXT" ] && { [ -e "/mnt/$name/meta-data" ] || [ -e "/mnt/$name/user-data" ] || [ -d "/mnt/$name/openstack" ]; }; then
        echo "/dev/$name /mnt/$name $fs"
        return 0
      fi
      umount "/mnt/$name"
      break
    done
  done
  return 1
}

if found=$(find_config_drive); then
  set -- $found
  dev=$1 dir=$2 fs=$3
  say "config-drive: $dev ($fs)"
  for f in meta-data user-data network-config vendor-data openstack/latest/meta_data.json openstack/latest/user_data; do
    [ -f "$dir/$f" ] && show_file "$dir" "$f"
  done
  host=$(sed -n 's/^ *local-hostname: *//p' "$dir/meta-data" 2>/dev/null | head -1 | tr -d '"\r')
  if [ -n "$host" ]; then hostname "$host"; say "hostname: $host"; fi
  # Hook 1: user-data that is a shell script runs, as cloud-init would run it.
  if [ -f "$dir/user-data" ] && head -c 2 "$dir/user-data" | grep -q '#!'; then
    sh "$dir/user-data" "$dir"
    say "user-data script exited $?"
  fi
  export KURA_CONFIG_DRIVE="$dir"
else
  say "config-drive: none"
fi

# The power button (evdev) has had time to appear by now; acpid exits without it.
acpid -c /etc/acpi -l /run/acpid.log || say "acpid did not start: a graceful stop will not power off"

# Hook 2: scripts baked into the image (empty by default), given the config drive's mount point if any.
for hook in /etc/kura-test/hooks.d/*; do
  [ -x "$hook" ] && "$hook" "${KURA_CONFIG_DRIVE:-}"
done

say "ready: shell on ttyS0 and tty1"
EOF
chmod 755 "$ROOT/init" "$ROOT/etc/kura-test/boot"

(cd "$ROOT" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) | gzip -9 -n > "$WORK/initrd.gz"

# --- boot disk -----------------------------------------------------------------

cat > "$WORK/syslinux.cfg" <<'EOF'
SERIAL 0 115200
DEFAULT kura
PROMPT 0
TIMEOUT 0
LABEL kura
  KERNEL vmlinuz
  INITRD initrd.gz
  APPEND console=tty0 console=ttyS0,115200 panic=10
EOF

RAW="$WORK/test-image.raw"
mkfs.vfat -C -n "$LABEL" "$RAW" $((IMAGE_MIB * 1024)) >/dev/null
syslinux --install "$RAW"
cp "$KERNEL" "$WORK/vmlinuz"
mcopy -i "$RAW" "$WORK/vmlinuz" "$WORK/initrd.gz" "$WORK/syslinux.cfg" ::
printf '%s\n' "$inputs" > "$WORK/test-image.inputs"
mcopy -i "$RAW" "$WORK/test-image.inputs" ::/KURATEST.TXT

qemu-img convert -q -f raw -O qcow2 "$RAW" "$WORK/test-image.qcow2"
gzip -9 -n -c "$WORK/test-image.qcow2" > "$WORK/test-image.qcow2.gz"

for f in test-image.raw test-image.qcow2 test-image.qcow2.gz; do mv -f "$WORK/$f" "$OUT/$f"; done
mv -f "$WORK/test-image.inputs" "$OUT/test-image.inputs"
log "built $(du -k --apparent-size "$OUT/test-image.raw" | cut -f1) KiB raw, $(du -k "$OUT/test-image.qcow2" | cut -f1) KiB qcow2, $(du -k "$OUT/test-image.qcow2.gz" | cut -f1) KiB qcow2.gz"
echo "$OUT/test-image.raw"
