// espeak-ng and aplay as fake processes that work: espeak-ng writes a WAV to stdout once its
// stdin ends, aplay reads it and exits 0.
import type { FakeChild } from '../../simulators/process/fake-child.js';

export function happyTools(child: FakeChild): void {
  if (child.command === 'espeak-ng') child.stdin.on('finish', () => (child.print(Buffer.from('RIFF....WAVEfake')), child.exit(0)));
  if (child.command === 'aplay') child.stdin.on('finish', () => child.exit(0));
}
