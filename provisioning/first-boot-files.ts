// What goes on the boot partition so a Raspberry Pi OS board comes up as its device, with no
// network: the signed release tarball (halld with its own Node.js and native modules), the
// device config, and one install script shared by both OS generations, started by cloud-init
// (Trixie) or by a unit that firstrun.sh arms from cmdline.txt (Bookworm, as Raspberry Pi
// Imager does it). docs/installer.md describes the first boot step by step.
import { isMap, isSeq, parseDocument, type Document } from 'yaml';

export type PiOs = 'trixie' | 'bookworm';

/** Everything lives in this folder of the boot partition (/boot/firmware/halld on the board). */
export const IMAGE_DIR = 'halld';
/** Where Raspberry Pi OS (Bookworm and later) mounts the boot partition. */
export const BOOT_MOUNT = '/boot/firmware';
/** The release's facts the install script reads (a shell file: the board has no JSON tool). */
export const RELEASE_ENV = 'release.env';
export const RELEASE_KEY_FILE = 'release.pub';
export const INSTALL_UNIT = 'halld-install.service';
export const INSTALL_SCRIPT = 'install-halld.sh';
/** Where halld lives on the board: one folder per release, `current` the one that runs. */
export const INSTALL_PREFIX = '/opt/halld';
export const INSTALL_LOG = '/var/log/halld-install.log';

/** Left by earlier halld versions around their lines in user-data; removed on a re-run. */
const OLD_BLOCK = /# >>> halld provision[\s\S]*?# <<< halld provision\n?/g;

export interface ReleaseFacts {
  readonly tarball: string;
  readonly sha256: string;
  readonly version: string;
  readonly arch: string;
  readonly unpackedBytes: number;
  readonly signedBy: string;
}

/** release.env: sourced by the install script; every value was checked by `halld provision`. */
export function releaseEnv(r: ReleaseFacts): string {
  const safe = /^[A-Za-z0-9._+-]+$/;
  for (const [k, v] of Object.entries(r)) if (!safe.test(String(v))) throw new TypeError(`release ${k} ${JSON.stringify(v)} is not a plain word`);
  return [
    `RELEASE_TARBALL=${r.tarball}`,
    `RELEASE_SHA256=${r.sha256}`,
    `RELEASE_VERSION=${r.version}`,
    `RELEASE_ARCH=${r.arch}`,
    `RELEASE_UNPACKED_KB=${Math.ceil(r.unpackedBytes / 1024)}`,
    `RELEASE_SIGNED_BY=${r.signedBy}`,
    '',
  ].join('\n');
}

/**
 * Runs the install script at every boot until one run finishes: cloud-init runs runcmd once per
 * instance (its semaphore is written before the command runs), so an install cut short by a
 * power cut is finished by this unit at the next boot; on Bookworm it is the only runner.
 */
export function installUnit(): string {
  return `[Unit]
Description=install halld from the boot partition (first boot; again after an interrupted install)
ConditionPathExists=${BOOT_MOUNT}/${IMAGE_DIR}/${INSTALL_SCRIPT}
After=local-fs.target
Before=halld.service

[Service]
Type=oneshot
ExecStart=/bin/sh ${BOOT_MOUNT}/${IMAGE_DIR}/${INSTALL_SCRIPT}
StandardOutput=journal+console
StandardError=journal+console
TimeoutStartSec=30min

[Install]
WantedBy=multi-user.target
`;
}

/**
 * Runs on the board as root. Offline: it uses only the files beside it and the release's own
 * Node.js — no apt, no npm, no compiler. Every step is safe to run again, and `current` moves
 * only to a release that is unpacked and verified, so a power cut at any point leaves either
 * no halld (the next boot installs) or a whole one.
 */
export function installScript(): string {
  return `#!/bin/sh
# halld's first-boot install, written by \`halld provision\`. Logs to ${INSTALL_LOG} and the console.
# HALLD_ROOT installs into another root file system (an image being prepared; the tests).
set -eu
HERE=$(dirname "$(readlink -f "$0")")
ROOT=\${HALLD_ROOT:-}
PREFIX=$ROOT${INSTALL_PREFIX}
LOG=$ROOT${INSTALL_LOG}
STEP=start
mkdir -p "$(dirname "$LOG")"
log() { printf 'halld-install: %s\\n' "$*" | tee -a "$LOG" >&2; }
step() { STEP=$1; log "step $1"; }
fail() {
  log "FAILED at step $STEP: $*"
  log "halld is not switched to a half-installed release; this install runs again at the next boot"
  trap - EXIT
  exit 1
}
trap 'rc=$?; [ "$rc" -eq 0 ] || log "FAILED at step $STEP (exit $rc; the lines above say why); this install runs again at the next boot"' EXIT

step arm
# A power cut from here on is finished at the next boot by this unit.
mkdir -p "$ROOT/etc/systemd/system/multi-user.target.wants"
install -m 0644 "$HERE/${INSTALL_UNIT}" "$ROOT/etc/systemd/system/${INSTALL_UNIT}"
ln -sf /etc/systemd/system/${INSTALL_UNIT} "$ROOT/etc/systemd/system/multi-user.target.wants/${INSTALL_UNIT}"
[ -f "$HERE/${RELEASE_ENV}" ] || fail "$HERE/${RELEASE_ENV} is missing: provision the card again with halld provision --image"
. "$HERE/${RELEASE_ENV}"
log "release $RELEASE_VERSION for $RELEASE_ARCH, signed by release key $RELEASE_SIGNED_BY"

step architecture
machine=$(uname -m)
userland=$(dpkg --print-architecture 2>/dev/null || echo unknown)
case "$userland" in
  armhf|armel) fail "32-bit Raspberry Pi OS ($userland) is not supported: write the 64-bit (arm64) Raspberry Pi OS image" ;;
esac
case "$machine" in
  aarch64|arm64) board=arm64 ;;
  x86_64|amd64) board=x64 ;;
  armv6l|armv7l|armv8l) fail "32-bit Raspberry Pi OS ($machine) is not supported: write the 64-bit (arm64) Raspberry Pi OS image" ;;
  *) fail "this board ($machine) is not one halld is released for (arm64, x64)" ;;
esac
[ "$board" = "$RELEASE_ARCH" ] || fail "the release on this card is for $RELEASE_ARCH, this board is $board: provision the card with halld-$RELEASE_VERSION-linux-$board.tar.gz"

if [ "$(readlink "$PREFIX/current" 2>/dev/null || true)" = "$RELEASE_VERSION" ] && [ -f "$PREFIX/$RELEASE_VERSION/manifest.json" ]; then
  log "release $RELEASE_VERSION is installed already"
else
  step space
  mkdir -p "$PREFIX"
  need_kb=$((RELEASE_UNPACKED_KB + RELEASE_UNPACKED_KB / 10))
  free_kb=$(df -Pk "$PREFIX" | awk 'NR==2 {print $4}')
  [ "$free_kb" -ge "$need_kb" ] || fail "the root partition has $((free_kb / 1024)) MB free under ${INSTALL_PREFIX}, halld $RELEASE_VERSION needs $((need_kb / 1024)) MB: use a larger card or free space"

  step verify-tarball
  [ -f "$HERE/$RELEASE_TARBALL" ] || fail "$HERE/$RELEASE_TARBALL is missing: write the card again"
  actual=$(sha256sum "$HERE/$RELEASE_TARBALL" | cut -d ' ' -f 1)
  [ "$actual" = "$RELEASE_SHA256" ] || fail "the release tarball on the boot partition is damaged (sha256 $actual, provisioned $RELEASE_SHA256): write the card again"

  step unpack
  incoming="$PREFIX/.incoming-$RELEASE_VERSION"
  rm -rf "$incoming"
  mkdir -p "$incoming"
  tar -xzf "$HERE/$RELEASE_TARBALL" -C "$incoming" --strip-components=1 --no-same-owner || fail "unpacking $RELEASE_TARBALL failed (a full disk or a damaged card)"

  step activate
  # The release checks its own signature and every file, then switches current to itself.
  if ! out=$("$incoming/bin/node" "$incoming/dist/halld.mjs" release activate "$incoming" --prefix "$PREFIX" --key "$HERE/${RELEASE_KEY_FILE}" 2>&1); then
    [ -z "$out" ] || log "$out"
    fail "the release did not verify"
  fi
  log "$out"
fi

step user
id halld >/dev/null 2>&1 || useradd --system --home-dir /var/lib/halld --no-create-home --shell /usr/sbin/nologin halld
# The groups halld.service runs with (SupplementaryGroups=): systemd will not start it without each one.
# video: vcgencmd (/dev/vchiq, /dev/vcio) for diag's throttling check, and the LED panel driver.
for g in gpio dialout i2c spi video; do
  getent group "$g" >/dev/null || groupadd --system "$g"
  usermod -aG "$g" halld
done

step config
install -d -m 0750 "$ROOT/etc/halld" "$ROOT/var/lib/halld"
chown halld:halld "$ROOT/etc/halld" "$ROOT/var/lib/halld"
# Over-the-air updates (docs/update.md): halld unpacks new releases beside this one and moves
# the current/committed links itself, after checking each against the release key.
chown -R halld:halld "$PREFIX"
if [ -f "$HERE/device.json" ]; then
  install -m 0600 "$HERE/device.json" "$ROOT/etc/halld/device.json"
  chown halld:halld "$ROOT/etc/halld/device.json"
  # The broker password sits on a FAT partition anyone holding the card can read: gone once installed.
  rm -f "$HERE/device.json"
fi
[ -f "$ROOT/etc/halld/device.json" ] || fail "no device config: neither $HERE/device.json nor /etc/halld/device.json"
install -m 0644 "$HERE/${RELEASE_KEY_FILE}" "$ROOT/etc/halld/${RELEASE_KEY_FILE}"
# The TLS identity, when provisioned with a certificate: beside the config, which names them relatively.
for f in hall-ca.pem device.crt device.csr; do
  if [ -f "$HERE/$f" ]; then install -m 0644 "$HERE/$f" "$ROOT/etc/halld/$f"; fi
done
if [ -f "$HERE/device.key" ]; then
  install -m 0600 "$HERE/device.key" "$ROOT/etc/halld/device.key"
  chown halld:halld "$ROOT/etc/halld/device.key"
  rm -f "$HERE/device.key"
fi

step command
# The technician's \`sudo halld status\`: the release's own node and entry point, as the unit's.
mkdir -p "$ROOT/usr/local/bin"
ln -sfn ${INSTALL_PREFIX}/current/bin/halld "$ROOT/usr/local/bin/halld"

step service
install -m 0644 "$HERE/halld.service" "$ROOT/etc/systemd/system/halld.service"
systemctl daemon-reload
systemctl enable halld.service
# Not waited for: this may itself run as a unit ordered before halld.service.
systemctl restart --no-block halld.service

step cleanup
rm -f "$HERE/$RELEASE_TARBALL"
systemctl disable ${INSTALL_UNIT} 2>/dev/null || true
rm -f "$ROOT/etc/systemd/system/${INSTALL_UNIT}" "$ROOT/etc/systemd/system/multi-user.target.wants/${INSTALL_UNIT}"
printf 'halld %s installed %s\\n' "$RELEASE_VERSION" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" > "$HERE/INSTALLED"
log "done: halld $RELEASE_VERSION installed in ${INSTALL_PREFIX}/$RELEASE_VERSION, halld.service started"
`;
}

/**
 * Bookworm: systemd.run starts this early in the first boot and reboots after it; it arms the
 * install unit for the next boot and removes its own cmdline.txt hook.
 */
export function bookwormFirstrun(chainImager: boolean): string {
  return `#!/bin/sh
# halld provision: arms ${INSTALL_UNIT}, then removes its own cmdline.txt hook.
set -eu
BOOT=$(dirname "$(readlink -f "$0")")
${chainImager ? '# Raspberry Pi Imager\'s own settings (user, Wi-Fi, SSH) first.\nsh "$BOOT/firstrun-imager.sh" || true\n' : ''}install -m 0644 "$BOOT/${IMAGE_DIR}/${INSTALL_UNIT}" /etc/systemd/system/${INSTALL_UNIT}
mkdir -p /etc/systemd/system/multi-user.target.wants
ln -sf /etc/systemd/system/${INSTALL_UNIT} /etc/systemd/system/multi-user.target.wants/${INSTALL_UNIT}
rm -f "$BOOT/firstrun.sh"
sed -i 's| systemd.run=[^ ]*firstrun.sh[^ ]*||g; s| systemd.run_success_action=[^ ]*||g; s| systemd.unit=kernel-command-line.target||g' "$BOOT/cmdline.txt"
exit 0
`;
}

export const CMDLINE_HOOK = ` systemd.run=${BOOT_MOUNT}/firstrun.sh systemd.run_success_action=reboot systemd.unit=kernel-command-line.target`;

/** cmdline.txt is one line; the hook is added once. */
export function hookedCmdline(cmdline: string): string {
  const line = cmdline.replace(/\s+$/, '');
  return line.includes('systemd.run=') ? `${line}\n` : `${line}${CMDLINE_HOOK}\n`;
}

const INSTALL_COMMAND = ['sh', `${BOOT_MOUNT}/${IMAGE_DIR}/${INSTALL_SCRIPT}`];

const isOurCommand = (item: unknown): boolean => JSON.stringify(item) === JSON.stringify(INSTALL_COMMAND);

function cloudConfig(text: string, what: string): Document | { conflict: string } {
  const doc = parseDocument(text.replace(OLD_BLOCK, ''));
  const firstError = doc.errors[0];
  if (firstError) return { conflict: `${what} is not valid YAML (${firstError.message.split('\n')[0]}); fix it or start from a fresh image` };
  if (doc.contents !== null && !isMap(doc.contents)) return { conflict: `${what} is not a cloud-config mapping (top level is not "key: value" lines)` };
  return doc;
}

/**
 * cloud-init user-data with halld's settings merged in and everything else kept: Raspberry Pi
 * Imager's (or the installer's own) user, time zone, SSH and Wi-Fi settings stay. halld's
 * hostname wins; runcmd lists are concatenated with halld's install last; `extra` (another
 * cloud-config, `--user-data`) is merged the same way first. Safe to run again.
 */
export function mergedUserData(existing: string | undefined, device: string, extra?: string): { text: string } | { conflict: string } {
  const doc = cloudConfig(existing ?? '#cloud-config\n', 'user-data on the boot partition');
  if ('conflict' in doc) return doc;
  const add = extra === undefined ? undefined : cloudConfig(extra, '--user-data');
  if (add && 'conflict' in add) return add;
  for (const source of add ? [add] : []) {
    if (!isMap(source.contents)) continue;
    for (const pair of source.contents.items) {
      const key = String((pair.key as { value?: unknown } | null)?.value ?? pair.key);
      if (key === 'runcmd') continue;
      doc.set(key, pair.value);
    }
  }
  doc.set('hostname', device);
  const commands = [...runcmdItems(doc), ...(add ? runcmdItems(add) : [])];
  if (commands.some((c) => c === undefined)) return { conflict: 'user-data has a "runcmd:" that is not a list; make it a list of commands' };
  const runcmd = doc.createNode([...commands.filter((c) => !isOurCommand(c)), INSTALL_COMMAND]);
  const last = runcmd.items[runcmd.items.length - 1] as { flow?: boolean };
  last.flow = true;
  doc.set('runcmd', runcmd);
  const text = doc.toString({ lineWidth: 0 });
  return { text: text.startsWith('#cloud-config') ? text : `#cloud-config\n${text}` };
}

/** The runcmd entries as plain values (undefined marks a runcmd that is not a list). */
function runcmdItems(doc: Document): unknown[] {
  const node = doc.get('runcmd', true);
  if (node === undefined || node === null) return [];
  if (!isSeq(node)) return [undefined];
  return (node.toJSON() as unknown[]) ?? [];
}

export function metaData(hall: string, device: string): string {
  return `instance-id: halld-${hall}-${device}\nlocal-hostname: ${device}\n`;
}

export const NETWORK_CONFIG = `network:
  version: 2
  ethernets:
    eth0:
      dhcp4: true
      optional: true
`;
