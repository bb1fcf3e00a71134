// The caller section of the device config: which LED panels show what, the announcement
// (template, chime, voice, repeats, voice pack), the day/night brightness schedule, the staff
// keypad's inputs and the hall TV page. A board with no panel works too (the TV page only).
import { Type, type Static } from '@sinclair/typebox';
import { CALLER_KEYS } from '../../../protocol/caller.js';

const PART_NAME = '^[a-z0-9-]{1,32}$';
const CLOCK_TIME = '^([01][0-9]|2[0-3]):[0-5][0-9]$';

export const DEFAULT_TEMPLATE = '请{number}号到{window}号窗口办理';

export const CallerConfigSchema = Type.Object(
  {
    window: Type.String({ minLength: 1, maxLength: 16, pattern: '^[^\\s{}]+$', default: '1', description: 'the window this caller (and its keypad) belongs to, e.g. "5"' }),
    lang: Type.Union([Type.Literal('zh'), Type.Literal('en')], { default: 'zh', description: 'language of the panel texts' }),
    panels: Type.Object(
      {
        window: Type.Optional(Type.String({ pattern: PART_NAME, description: 'io.matrices part of the window panel (current call, 暂停服务)' })),
        hall: Type.Array(Type.String({ pattern: PART_NAME }), { default: [], maxItems: 8, description: 'io.matrices parts showing the last calls' }),
        notice: Type.Array(Type.String({ pattern: PART_NAME }), { default: [], maxItems: 8, description: 'io.matrices parts showing only the notice marquee' }),
      },
      { default: {}, additionalProperties: false, description: 'which io.matrices panels show what (none: the TV page only)' },
    ),
    lastN: Type.Integer({ minimum: 1, maximum: 20, default: 5, description: 'calls kept for the hall panels and the TV page' }),
    template: Type.String({ minLength: 1, maxLength: 200, default: DEFAULT_TEMPLATE, description: 'announcement text; {number} is read as halls read it (A023 → A 零二三), {window} as a number (12 → 十二)' }),
    voice: Type.Object(
      {
        enabled: Type.Boolean({ default: true, description: 'speak the announcement' }),
        chime: Type.Boolean({ default: true, description: 'a chime before it (a separate switch: chime alone is allowed)' }),
        repeat: Type.Integer({ minimum: 1, maximum: 5, default: 2, description: 'times the announcement is spoken' }),
        repeatGapMs: Type.Integer({ minimum: 0, maximum: 10_000, default: 800, description: 'pause between repeats' }),
        gapMs: Type.Integer({ minimum: 0, maximum: 30_000, default: 1500, description: 'silence between one announcement and the next queued one' }),
        lang: Type.String({ default: 'zh-CN', description: 'language of the speech (espeak-ng: zh-CN → the voice it reads as Mandarin, cmn or cmn-latn-pinyin)' }),
        rate: Type.Optional(Type.Number({ minimum: 0.5, maximum: 2, description: 'speech speed, 1 = normal' })),
        voicePack: Type.Optional(Type.String({ minLength: 1, description: 'directory of recorded clips, one WAV per word (请.wav, 号.wav, 零.wav …, A.wav); used when every word of an announcement has a clip' })),
      },
      { default: {}, additionalProperties: false, description: 'the announcement: chime, speech, repeats, voice pack' },
    ),
    silent: Type.Boolean({ default: false, description: 'start in silent mode (无声叫号) until a `mode` command says otherwise (that one is kept across restarts)' }),
    brightness: Type.Object(
      {
        day: Type.Integer({ minimum: 0, maximum: 100, default: 80, description: 'panel brightness by day, percent' }),
        night: Type.Integer({ minimum: 0, maximum: 100, default: 30, description: 'panel brightness by night, percent' }),
        dayFrom: Type.String({ pattern: CLOCK_TIME, default: '07:00', description: "the hall's local time (device timeZone) the day level starts" }),
        nightFrom: Type.String({ pattern: CLOCK_TIME, default: '19:00', description: "the hall's local time (device timeZone) the night level starts" }),
      },
      { default: {}, additionalProperties: false, description: 'day/night brightness schedule of the panels (a brightness command overrides it)' },
    ),
    keys: Type.Partial(Type.Object(Object.fromEntries(CALLER_KEYS.map((k) => [k, Type.String({ pattern: PART_NAME, description: `io.inputs part of the ${k} key` })])) as Record<(typeof CALLER_KEYS)[number], ReturnType<typeof Type.String>>), {
      default: {},
      additionalProperties: false,
      description: 'staff keypad: io.inputs part per key (GPIO buttons or expander lines)',
    }),
    feedbackMs: Type.Integer({ minimum: 200, maximum: 10_000, default: 1500, description: 'a key press is acknowledged on the window panel this long' }),
    frameIntervalMs: Type.Integer({ minimum: 16, maximum: 1000, default: 40, description: 'repaint period while a line scrolls' }),
    hallName: Type.String({ default: '政务服务中心', description: "the hall's name, shown on the TV page" }),
    page: Type.Object(
      {
        enabled: Type.Boolean({ default: false, description: 'serve the hall TV page (hall layout as HTML)' }),
        host: Type.String({ default: '127.0.0.1', description: 'address the page is served on (0.0.0.0 when the TV\'s browser is another box)' }),
        port: Type.Integer({ minimum: 0, maximum: 65535, default: 8083, description: '0 = any free port (tests)' }),
      },
      { default: {}, additionalProperties: false, description: 'the hall TV page' },
    ),
  },
  { additionalProperties: false, description: 'the caller (LED 叫号): panels, voice, keypad' },
);
export type CallerConfig = Static<typeof CallerConfigSchema>;
