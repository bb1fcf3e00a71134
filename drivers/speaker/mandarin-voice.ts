// Which espeak-ng voice reads Chinese characters as Mandarin, found by asking espeak-ng, not by
// name. `cmn` is "Mandarin, latin as English": on espeak-ng 1.51 (Debian 12, Raspberry Pi OS
// Bookworm) it turns the characters into pinyin and then reads that pinyin as English words
// (`(en)kI55NTr'i:55` for 请; espeak-ng issues #1236 and #1028); on 1.52 it reads them as
// Mandarin and only Latin letters as English. `cmn-latn-pinyin` reads the characters as
// Mandarin on both. So at start the speaker asks `espeak-ng -q -x -v <voice>` for the phonemes
// of a phrase of Chinese characters and takes the first voice whose output switches to no
// other language and carries Mandarin tones (two-digit tone contours such as 51, 214).
import { runToCompletion, type CommandRunner } from '../process/command-runner.js';

/** Tried in this order: the plain Mandarin voice first (right on 1.52), then the pinyin one (1.51). */
export const MANDARIN_CANDIDATES = ['cmn', 'cmn-latn-pinyin'] as const;

/** Characters only, as an announcement has them (no Latin letter, which may rightly be read by its English name). */
export const PROBE_PHRASE = '请零零三号到五号窗口办理';

/** argv for espeak-ng printing the phonemes of each stdin line (ended by 。) and playing nothing. */
export function phonemeArgs(voice: string): string[] {
  return ['-q', '-x', '-v', voice, '--stdin'];
}

/** True when espeak-ng's phoneme output reads as Mandarin: no `(en)`-style language switch and tone marks present. */
export function readsAsMandarin(phonemes: string): boolean {
  return !/\([a-z]{2,3}[a-z0-9-]*\)/i.test(phonemes) && /[0-9]{2,3}/.test(phonemes);
}

export type MandarinVoice = { ok: true; voice: string } | { ok: false; reasons: string[] };

/** Asks the installed espeak-ng, voice by voice, how it reads PROBE_PHRASE. */
export async function findMandarinVoice(runner: CommandRunner, candidates: readonly string[] = MANDARIN_CANDIDATES): Promise<MandarinVoice> {
  const reasons: string[] = [];
  for (const voice of candidates) {
    try {
      const r = await runToCompletion(runner, 'espeak-ng', phonemeArgs(voice), `${PROBE_PHRASE}。\n`);
      if (r.code !== 0) {
        reasons.push(`${voice}: ${(r.stderr.trim() || `exit ${r.code}`).split('\n')[0]}`);
        continue;
      }
      if (readsAsMandarin(r.stdout)) return { ok: true, voice };
      reasons.push(`${voice} reads Chinese characters as another language (${r.stdout.trim().slice(0, 40)}…)`);
    } catch (err) {
      const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
      reasons.push(missing ? 'espeak-ng is not installed (apt install espeak-ng)' : `${voice}: ${(err as Error).message}`);
      if (missing) break;
    }
  }
  return { ok: false, reasons };
}
