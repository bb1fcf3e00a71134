// The caller's self-tests: panels reachable and the speaker present (automatic), and the
// technician's manual ones: a colour-bar test pattern on every panel, a speaker test that plays
// a sample call through the announcer (chime and voice as a call is heard) whatever the mode,
// and a key test that asks for each key in turn and waits for it.
import type { SelfTestResult } from '../../../drivers/hal/types.js';
import { abortableDelay } from '../../../drivers/clock/timers.js';
import type { CallerKey, CallerContract } from '../../../protocol/caller.js';
import type { ManualTestContext, RoleContext } from '../role-module.js';
import type { CallerKeypad } from './caller-keypad.js';
import type { CallerPanels } from './caller-panels.js';
import { announcementText } from './announcement-text.js';
import { DEFAULT_TEMPLATE } from './config.js';

const BARS = [
  [255, 255, 255],
  [255, 0, 0],
  [0, 255, 0],
  [0, 0, 255],
  [255, 255, 0],
  [0, 255, 255],
  [255, 0, 255],
  [0, 0, 0],
] as const;

/** Eight vertical colour bars (white, red, green, blue, yellow, cyan, magenta, black): every LED colour once. */
export function colourBars(width: number, height: number): { width: number; height: number; data: Uint8Array } {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const bar = BARS[Math.min(BARS.length - 1, Math.floor((x * BARS.length) / width))] ?? BARS[0];
      data.set(bar, (y * width + x) * 3);
    }
  return { width, height, data };
}

function aborted(ctx: ManualTestContext): Promise<never> {
  return new Promise((_, reject) => {
    const fail = () => reject(Object.assign(new Error('aborted'), { code: 'ABORTED' }));
    if (ctx.signal.aborted) fail();
    else ctx.signal.addEventListener('abort', fail, { once: true });
  });
}

/**
 * What the speaker test says: a sample call read with the hall's template, so it is heard as a
 * real call is (a voice pack has the clips for it). Every phrase the caller speaks is checked
 * against espeak-ng's phonemes.
 */
export function speakerTestPhrase(template: string): string {
  return announcementText(template, 'A001', '1');
}
export const SPEAKER_TEST_PHRASE = speakerTestPhrase(DEFAULT_TEMPLATE);

/** The voice path the speaker test goes through: the announcer's queue and the hall's template. */
export interface SpeakerTestVoice {
  template(): string;
  speakerTest(text: string): Promise<void>;
}

export function panelsSelfTest(panels: CallerPanels): SelfTestResult {
  const status = panels.status();
  const down = [...status.filter((p) => p.state === 'fault' || p.state === 'closed').map((p) => p.name), ...panels.unopened.map((p) => `${p.name} (${p.error})`)];
  return {
    name: 'panels',
    ok: down.length === 0,
    detail: status.length + panels.unopened.length === 0 ? 'no LED panel configured (TV page only)' : down.length === 0 ? `${status.length} panel(s) up` : `down: ${down.join(', ')}`,
    data: { panels: status, unopened: panels.unopened },
  };
}

export async function speakerSelfTest(ctx: RoleContext<CallerContract>): Promise<SelfTestResult> {
  const speaker = (await ctx.hal.selfTest()).find((r) => r.name === 'speaker');
  if (!speaker) return { name: 'speaker', ok: true, detail: 'this board reports no speaker check' };
  return { ...speaker, name: 'speaker', covers: ['speaker'] };
}

/** `panels` and `keypad` are asked for at each run: a new config replaces them. */
export function manualTests(ctx: RoleContext<CallerContract>, current: () => { panels: CallerPanels; keypad: CallerKeypad }, patternMs: number, voice: SpeakerTestVoice): Record<string, (m: ManualTestContext) => Promise<SelfTestResult>> {
  return {
    'test-pattern': async (m) => {
      const { panels } = current();
      const shown = panels.showOnAll(colourBars);
      m.prompt(`look at the panels (${shown.join(', ') || 'none'}): eight colour bars, white to black`);
      try {
        await abortableDelay(ctx.timers, patternMs, m.signal); // aborted: the pattern ends now
      } finally {
        panels.paint();
      }
      return { name: 'test-pattern', ok: shown.length > 0, detail: shown.length > 0 ? `shown on ${shown.join(', ')}` : 'no panel configured' };
    },
    'speaker-test': async (m) => {
      const phrase = speakerTestPhrase(voice.template());
      m.prompt(`listen: the chime, then ${phrase} in the hall's voice`);
      try {
        await voice.speakerTest(phrase);
        return { name: 'speaker-test', ok: true, detail: 'played as a call is (the technician judges the sound)' };
      } catch (err) {
        return { name: 'speaker-test', ok: false, detail: (err as Error).message };
      }
    },
    'key-test': async (m) => {
      const { keypad } = current();
      const keys = keypad.keys();
      if (keys.length === 0) return { name: 'key-test', ok: false, detail: 'no keypad key configured' };
      const pressed: CallerKey[] = [];
      for (const key of keys) {
        m.prompt(`press ${key.toUpperCase()}`);
        let off: (() => void) | undefined;
        try {
          await Promise.race([
            new Promise<void>((resolve) => {
              off = keypad.onPress((k) => {
                if (k === key) resolve();
              });
            }),
            aborted(m),
          ]);
          pressed.push(key);
        } catch {
          return { name: 'key-test', ok: false, detail: `stopped waiting for ${key}`, data: { pressed, missing: keys.filter((k) => !pressed.includes(k)) } };
        } finally {
          off?.();
        }
      }
      return { name: 'key-test', ok: true, detail: `every key answered: ${pressed.join(', ')}`, data: { pressed } };
    },
  };
}
