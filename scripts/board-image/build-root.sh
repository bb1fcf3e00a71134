#!/usr/bin/env bash
# Builds the root file system of an emulated Raspberry Pi OS stand-in (Debian arm64) once and
# caches it: debootstrap from Debian's archive, the second stage and the packages configured
# under qemu-user. Usage: build-root.sh trixie|bookworm CACHE_DIR
#
# What it has, and why: the kernel and initramfs qemu boots (-M virt has no Pi firmware), systemd
# and udev as on a Pi, cloud-init on trixie (Raspberry Pi OS Trixie's first-boot mechanism; its
# NoCloud seed is the boot partition, as the image's rpi-cloud-init-mods sets it up), and no
# Node.js at all: halld must bring its own. A root console on the serial line stands in for the
# technician's keyboard.
set -euo pipefail
suite=${1:?suite: trixie or bookworm}
cache=${2:?cache dir}
mirror=${HALLD_DEBIAN_MIRROR:-http://deb.debian.org/debian}
out="$cache/$suite-arm64"
if [ -f "$out/done" ]; then echo "cached: $out"; exit 0; fi
root="$out/root"
start=$(date +%s)
log() { echo "build-root[$suite]: $* ($(( $(date +%s) - start )) s)"; }

[ -e /proc/sys/fs/binfmt_misc/status ] || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
update-binfmts --enable qemu-aarch64 >/dev/null 2>&1 || true

# The second stage under qemu-user is most of the time (over two hours on a loaded 2-core
# machine), so an interrupted build keeps a finished base system and only redoes the packages.
if [ -f "$out/debootstrapped" ]; then
  log "base system kept from an interrupted build"
else
  rm -rf "$out"; mkdir -p "$out"
  log "debootstrap (first stage, downloads)"
  debootstrap --arch=arm64 --foreign --variant=minbase "$suite" "$root" "$mirror" >"$out/debootstrap.log" 2>&1 || { tail -20 "$out/debootstrap.log"; exit 1; }
fi
# binfmt's interpreter is looked up inside the chroot.
mkdir -p "$root/usr/libexec/qemu-binfmt"
cp /usr/bin/qemu-aarch64-static "$root/usr/bin/"
ln -sf ../../bin/qemu-aarch64-static "$root/usr/libexec/qemu-binfmt/aarch64-binfmt-P"
if [ ! -f "$out/debootstrapped" ]; then
  log "debootstrap (second stage, under qemu-user)"
  chroot "$root" /debootstrap/debootstrap --second-stage >>"$out/debootstrap.log" 2>&1 || { tail -20 "$out/debootstrap.log"; exit 1; }
  touch "$out/debootstrapped"
fi

printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"; chmod +x "$root/usr/sbin/policy-rc.d"
echo "deb $mirror $suite main" >"$root/etc/apt/sources.list"
mount -t proc proc "$root/proc"
trap 'umount "$root/proc" 2>/dev/null || true' EXIT
pkgs="linux-image-arm64 systemd-sysv udev kmod iproute2 dosfstools e2fsprogs procps"
[ "$suite" = trixie ] && pkgs="$pkgs cloud-init systemd-resolved"
chroot "$root" apt-cache show systemd-networkd >/dev/null 2>&1 && pkgs="$pkgs systemd-networkd"
log "packages: $pkgs"
chroot "$root" sh -c "DEBIAN_FRONTEND=noninteractive dpkg --configure -a && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $pkgs" >"$out/apt.log" 2>&1 || { tail -30 "$out/apt.log"; exit 1; }
chroot "$root" apt-get clean
if chroot "$root" sh -c 'command -v node || command -v nodejs'; then echo "the stand-in must not have Node.js"; exit 1; fi

log "configuring"
cat >"$root/etc/fstab" <<'FSTAB'
LABEL=rootfs  /              ext4  defaults,noatime  0 1
LABEL=bootfs  /boot/firmware vfat  defaults         0 2
FSTAB
mkdir -p "$root/boot/firmware"
echo raspberrypi >"$root/etc/hostname"
# The technician's console: root on the serial line without a password (an emulated board only).
mkdir -p "$root/etc/systemd/system/serial-getty@ttyAMA0.service.d"
cat >"$root/etc/systemd/system/serial-getty@ttyAMA0.service.d/autologin.conf" <<'UNIT'
[Service]
ExecStart=
ExecStart=-/sbin/agetty --autologin root --noclear --keep-baud 115200 %I $TERM
UNIT
# DHCP on the wired port, as Raspberry Pi OS's network manager does out of the box.
mkdir -p "$root/etc/systemd/network"
printf '[Match]\nName=eth0\n\n[Network]\nDHCP=yes\n' >"$root/etc/systemd/network/20-wired.network"
chroot "$root" systemctl enable systemd-networkd >/dev/null 2>&1 || true
if [ "$suite" = trixie ]; then
  # Raspberry Pi OS Trixie reads cloud-init's NoCloud seed (user-data, meta-data, network-config)
  # from the FAT boot partition mounted at /boot/firmware, not from a partition labelled CIDATA.
  mkdir -p "$root/etc/cloud/cloud.cfg.d"
  cat >"$root/etc/cloud/cloud.cfg.d/99_raspberry-pi-standin.cfg" <<'CFG'
datasource_list: [ NoCloud, None ]
datasource:
  NoCloud:
    seedfrom: file:///boot/firmware/
CFG
fi
umount "$root/proc"; trap - EXIT
rm -f "$root/usr/sbin/policy-rc.d" "$root/usr/bin/qemu-aarch64-static" "$root/usr/libexec/qemu-binfmt/aarch64-binfmt-P"
rmdir "$root/usr/libexec/qemu-binfmt" 2>/dev/null || true
cp -L "$root/vmlinuz" "$out/vmlinuz"
cp -L "$root/initrd.img" "$out/initrd.img"
du -sm "$root" | awk '{print $1}' >"$out/size-mb"
log "done: $(cat "$out/size-mb") MB"
echo "$(( $(date +%s) - start ))" >"$out/build-seconds"
touch "$out/done"
