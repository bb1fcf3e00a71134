// espeak-ng and aplay as fake processes that work: espeak-ng writes a WAV to stdout once its
// stdin ends, aplay reads it and exits 0. Asked for phonemes (-x), it answers as espeak-ng 1.51
// does: `cmn` reads the characters as English, `cmn-latn-pinyin` as Mandarin.
import type { FakeChild } from '../../simulators/process/fake-child.js';

export const PHONEMES_1_51: Record<string, string> = {
  cmn: "(en)kI55NTr'i:55(cmn)_| (en)lI11Ntu:11_|\n",
  'cmn-latn-pinyin': "tS;h'i21N_| l'i35N_| l'i35N_| s'a55n_| X'Au51_|\n",
};

export function happyTools(child: FakeChild): void {
  if (child.command === 'espeak-ng' && child.args.includes('-x')) {
    const voice = child.args[child.args.indexOf('-v') + 1] ?? '';
    child.stdin.on('finish', () => (child.print(Buffer.from(PHONEMES_1_51[voice] ?? "(en)h@l'oU\n")), child.exit(0)));
    return;
  }
  if (child.command === 'espeak-ng') child.stdin.on('finish', () => (child.print(Buffer.from('RIFF....WAVEfake')), child.exit(0)));
  if (child.command === 'aplay') child.stdin.on('finish', () => child.exit(0));
}
