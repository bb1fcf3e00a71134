#!/usr/bin/env bash
# `npm run test:boot`: the emulated first boots (test/boot/). Builds what they need and is not
# there yet — the Debian arm64 roots of the stand-in images (about 25 minutes each, once; kept in
# HALLD_BOOT_CACHE, default /var/cache/halld-boot) and the arm64 release — then runs the tests.
# Needs root (debootstrap, chroot), qemu-system-arm, qemu-user-static, debootstrap, e2fsprogs,
# dosfstools, mtools, fdisk, socat and mosquitto (.ci/run's apt line lists them).
set -euo pipefail
cd "$(dirname "$0")/../.."
cache=${HALLD_BOOT_CACHE:-/var/cache/halld-boot}
export HALLD_BOOT_CACHE=$cache
for os in ${HALLD_BOOT_OS:-trixie bookworm}; do scripts/board-image/build-root.sh "$os" "$cache"; done
version=$(node -p "require('./package.json').version")
[ -f "build/release/halld-$version-linux-arm64.tar.gz" ] || node dist/release/build/build-release.js --arch arm64
HALLD_TEST_TIMEOUT=3600 node scripts/run-tests.mjs dist/test/boot/
