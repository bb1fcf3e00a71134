// What goes on the boot partition so a Raspberry Pi OS board comes up as its device: one
// install script shared by both OS generations, started by cloud-init (Trixie) or by a
// firstrun.sh hooked into cmdline.txt (Bookworm, as Raspberry Pi Imager does it).
export type PiOs = 'trixie' | 'bookworm';

/** Everything lives in this folder of the boot partition (/boot/firmware/halld on the board). */
export const IMAGE_DIR = 'halld';
export const BLOCK_START = '# >>> halld provision';
export const BLOCK_END = '# <<< halld provision';

/** Runs on the board as root, with the network up; safe to run again. */
export function installScript(): string {
  return `#!/bin/sh
# Installs halld from the files \`halld provision --image\` put beside this script.
set -eu
HERE=$(dirname "$(readlink -f "$0")")
log() { echo "halld-install: $*" | tee -a /var/log/halld-install.log >&2; }
id halld >/dev/null 2>&1 || useradd --system --home-dir /var/lib/halld --no-create-home --shell /usr/sbin/nologin halld
# The groups halld.service runs with (SupplementaryGroups=): systemd will not start it without each one.
# video: vcgencmd (/dev/vchiq, /dev/vcio) for diag's throttling check, and the LED panel driver.
for g in gpio dialout i2c spi video; do
  getent group "$g" >/dev/null || groupadd --system "$g"
  usermod -aG "$g" halld
done
command -v node >/dev/null 2>&1 || { apt-get update && apt-get install -y nodejs npm; }
node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>20||(a===20&&b>=17)?0:1)' || { log "needs Node.js >= 20.17, found $(node --version)"; exit 1; }
mkdir -p /opt/halld
tar -xzf "$HERE/halld.tgz" -C /opt/halld --strip-components=1
(cd /opt/halld && npm install --omit=dev --no-audit --no-fund)
install -d -m 0750 -o halld -g halld /etc/halld /var/lib/halld
if [ -f "$HERE/device.json" ]; then
  install -m 0600 -o halld -g halld "$HERE/device.json" /etc/halld/device.json
  # The broker password sits on a FAT partition anyone holding the card can read: gone once installed.
  rm -f "$HERE/device.json"
fi
# The TLS identity, when provisioned with a certificate: beside the config, which names them relatively.
for f in hall-ca.pem device.crt device.csr; do
  if [ -f "$HERE/$f" ]; then install -m 0644 -o halld -g halld "$HERE/$f" "/etc/halld/$f"; fi
done
if [ -f "$HERE/device.key" ]; then
  install -m 0600 -o halld -g halld "$HERE/device.key" /etc/halld/device.key
  rm -f "$HERE/device.key"
fi
# The technician's \`halld status\`/\`diag\`: the same node and entry point as the unit's ExecStart.
cat > /usr/local/bin/halld <<'WRAPPER'
#!/bin/sh
exec /usr/bin/node /opt/halld/dist/halld.mjs "$@"
WRAPPER
chmod 0755 /usr/local/bin/halld
install -m 0644 "$HERE/halld.service" /etc/systemd/system/halld.service
systemctl daemon-reload
systemctl disable halld-install.service 2>/dev/null || true
systemctl enable --now halld.service
log "installed; $(/usr/bin/node /opt/halld/dist/halld.mjs --version)"
`;
}

/** Bookworm: systemd.run starts this before the network is up, so it only arms a unit that installs on the next boot. */
export function bookwormFirstrun(chainImager: boolean): string {
  return `#!/bin/sh
# halld provision: arms halld-install.service, then removes its own cmdline.txt hook.
set -eu
BOOT=$(dirname "$(readlink -f "$0")")
${chainImager ? '# Raspberry Pi Imager\'s own settings (user, Wi-Fi, SSH) first.\nsh "$BOOT/firstrun-imager.sh" || true\n' : ''}cat > /etc/systemd/system/halld-install.service <<UNIT
[Unit]
Description=install halld from the boot partition (first boot)
Wants=network-online.target
After=network-online.target
ConditionPathExists=$BOOT/${IMAGE_DIR}/install-halld.sh

[Service]
Type=oneshot
ExecStart=/bin/sh $BOOT/${IMAGE_DIR}/install-halld.sh

[Install]
WantedBy=multi-user.target
UNIT
ln -sf /etc/systemd/system/halld-install.service /etc/systemd/system/multi-user.target.wants/halld-install.service
rm -f "$BOOT/firstrun.sh"
sed -i 's| systemd.run=[^ ]*firstrun.sh[^ ]*||g; s| systemd.run_success_action=[^ ]*||g; s| systemd.unit=kernel-command-line.target||g' "$BOOT/cmdline.txt"
exit 0
`;
}

export const CMDLINE_HOOK = ' systemd.run=/boot/firmware/firstrun.sh systemd.run_success_action=reboot systemd.unit=kernel-command-line.target';

/** cmdline.txt is one line; the hook is added once. */
export function hookedCmdline(cmdline: string): string {
  const line = cmdline.replace(/\s+$/, '');
  return line.includes('systemd.run=') ? `${line}\n` : `${line}${CMDLINE_HOOK}\n`;
}

/**
 * cloud-init user-data with our block (hostname, runcmd) added or replaced. Someone else's
 * runcmd would be a second top-level key the YAML cannot hold: refused, not silently dropped.
 */
export function mergedUserData(existing: string | undefined, device: string): { text: string } | { conflict: string } {
  const blockRe = new RegExp(`${BLOCK_START}[\\s\\S]*?${BLOCK_END}\\n?`, 'g');
  const rest = (existing ?? '#cloud-config\n').replace(blockRe, '');
  for (const key of ['runcmd', 'hostname']) {
    if (new RegExp(`^${key}:`, 'm').test(rest)) return { conflict: `user-data already has a top-level "${key}:"; merge it by hand or start from a fresh image` };
  }
  const head = rest.startsWith('#cloud-config') ? rest : `#cloud-config\n${rest}`;
  const block = [BLOCK_START, `hostname: ${device}`, 'runcmd:', `  - [sh, /boot/firmware/${IMAGE_DIR}/install-halld.sh]`, BLOCK_END, ''].join('\n');
  return { text: `${head.replace(/\n*$/, '\n')}${block}` };
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
