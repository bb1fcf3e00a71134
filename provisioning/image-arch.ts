// Which Raspberry Pi OS an image is, 64-bit (arm64) or 32-bit (armhf), read from its boot
// partition without mounting the root file system. Raspberry Pi's image builder (pi-gen) writes
// `arm_64bit=1` into config.txt only on its arm64 branch, and the 32-bit images carry the
// 32-bit kernels (kernel.img, kernel7.img, kernel7l.img) that the 64-bit ones do not;
// kernel8.img alone is in both (a 32-bit image boots it on a Pi 4), so it decides nothing.
export type ImageArch = 'arm64' | 'armhf' | 'unknown';

const KERNELS_32 = ['kernel.img', 'kernel7.img', 'kernel7l.img'];

export function imageArch(names: readonly string[], configTxt: string | undefined): ImageArch {
  const lines = (configTxt ?? '').split('\n').map((l) => l.replace(/#.*/, '').trim());
  if (lines.some((l) => /^arm_64bit\s*=\s*1$/.test(l))) return 'arm64';
  if (names.some((n) => KERNELS_32.includes(n))) return 'armhf';
  if (names.some((n) => n === 'kernel_2712.img')) return 'arm64';
  return 'unknown';
}
