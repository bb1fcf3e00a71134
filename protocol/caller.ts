// The caller role's messages (LED 叫号, docs/protocol.md "Role messages"): the `data` of its commands
// and events. TypeScript types here, JSON Schema files in protocol/schema/caller/ via
// `npm run schema`. A call shows on the window's panel and the hall's panels and is announced
// (chime, then voice) unless the device is in silent mode (无声叫号); a notice may go to every
// caller of the hall at once on `halld/v1/{hall}/all/cmd/caller/notice`.
import { Type, type Static } from '@sinclair/typebox';
import { defineContract } from './contract.js';

const TicketNumber = Type.String({ minLength: 1, maxLength: 16, pattern: '^[A-Za-z0-9-]+$', description: 'the number as called, e.g. "A023"' });
const WindowName = Type.String({ minLength: 1, maxLength: 16, pattern: '^[^\\s{}]+$', description: 'the window as shown and read out, e.g. "5" (read 五号窗口)' });
const Text = (max: number, description: string) => Type.String({ minLength: 1, maxLength: max, description });

export const CALLER_KEYS = ['next', 'recall', 'pause', 'transfer', 'no-show'] as const;
export type CallerKey = (typeof CALLER_KEYS)[number];
export const CallerKeyName = Type.Union(
  CALLER_KEYS.map((k) => Type.Literal(k)),
  { description: 'staff keypad key: next (下一位), recall (重呼), pause (暂停), transfer (转移), no-show (过号)' },
);

export const CallerMode = Type.Union([Type.Literal('voice'), Type.Literal('silent')], { description: 'voice: chime and announcement; silent (无声叫号): the screens change, nothing is played' });
export type CallerMode = Static<typeof CallerMode>;

export const CallCommand = Type.Object(
  {
    ticket: TicketNumber,
    window: WindowName,
    text: Type.Optional(Text(200, 'announcement text to speak instead of the configured template')),
    voice: Type.Optional(Type.Boolean({ description: 'false: no speech for this call (the chime still sounds unless disabled); default true' })),
    priority: Type.Optional(Type.Boolean({ description: 'a priority ticket (green channel): drawn in the priority colour' })),
  },
  { additionalProperties: false, $id: 'CallerCall', description: 'cmd/caller/call data: show the ticket as the current call and announce it (queued behind an announcement being played, never interrupting it)' },
);
export type CallCommand = Static<typeof CallCommand>;

export const RecallCommand = Type.Object(
  { ticket: Type.Optional({ ...TicketNumber, description: 'when given, must be the current call (else NOT_FOUND)' }) },
  { additionalProperties: false, $id: 'CallerRecall', description: 'cmd/caller/recall data: announce the current call again (重呼)' },
);

export const NoticeCommand = Type.Object(
  {
    text: Text(500, 'the notice scrolled on the panels (marquee)'),
    untilMs: Type.Optional(Type.Integer({ minimum: 0, description: 'epoch ms at which the notice is taken down; absent: until cleared' })),
  },
  { additionalProperties: false, $id: 'CallerNotice', description: 'cmd/caller/notice data (also hall-wide on all/cmd/caller/notice): a notice line, kept across restarts' },
);
export type NoticeCommand = Static<typeof NoticeCommand>;

export const ClearCommand = Type.Object(
  { what: Type.Optional(Type.Union([Type.Literal('call'), Type.Literal('notice'), Type.Literal('history'), Type.Literal('all')], { description: 'default all' })) },
  { additionalProperties: false, $id: 'CallerClear', description: 'cmd/caller/clear data: take the current call, the notice and/or the last-N list off the panels' },
);

export const ModeCommand = Type.Object({ mode: CallerMode }, { additionalProperties: false, $id: 'CallerModeCommand', description: 'cmd/caller/mode data: voice or silent, kept across restarts' });

export const BrightnessCommand = Type.Object(
  { level: Type.Union([Type.Integer({ minimum: 0, maximum: 100 }), Type.Literal('auto')], { description: 'percent, held until the next brightness command; "auto" goes back to the day/night schedule' }) },
  { additionalProperties: false, $id: 'CallerBrightness', description: 'cmd/caller/brightness data' },
);

export const PauseCommand = Type.Object(
  { paused: Type.Boolean({ description: 'true: the window panel shows 暂停服务' }) },
  { additionalProperties: false, $id: 'CallerPause', description: 'cmd/caller/pause data: the window is closed / open again (kept across restarts)' },
);

export const KeyPressed = Type.Object(
  { key: CallerKeyName, window: Type.String({ description: 'the window this keypad belongs to (role config)' }) },
  { $id: 'CallerKey', description: 'evt/caller/key data: a staff keypad key was pressed (once per press, after debounce); the server decides what follows (e.g. a call)' },
);

export const Announced = Type.Object(
  {
    ticket: Type.String(),
    window: Type.String(),
    text: Type.String({ description: 'the announcement text (what was or would have been spoken)' }),
    played: Type.Union([Type.Literal('voice'), Type.Literal('chime'), Type.Literal('silent')], { description: 'voice: speech was played (after the chime if enabled); chime: only the chime; silent: nothing (silent mode, or both switched off)' }),
    recall: Type.Boolean({ description: 'announced by a recall' }),
    error: Type.Optional(Type.String({ description: 'the speaker failed: what was attempted did not (fully) play' })),
  },
  { $id: 'CallerAnnounced', description: 'evt/caller/announced data: an announcement has finished (all repeats) or was skipped as silent' },
);
export type Announced = Static<typeof Announced>;

export const PanelFault = Type.Object(
  { panel: Type.String(), code: Type.String(), message: Type.String(), restarts: Type.Integer({ minimum: 0 }) },
  { $id: 'CallerPanelFault', description: 'evt/caller/panel.fault data: an LED panel (its process) died or hung; it is being restarted' },
);
export const PanelOk = Type.Object(
  { panel: Type.String(), restarts: Type.Integer({ minimum: 0 }) },
  { $id: 'CallerPanelOk', description: 'evt/caller/panel.ok data: the panel shows frames again after a fault' },
);

export const callerContract = defineContract({
  role: 'caller',
  events: { key: KeyPressed, announced: Announced, 'panel.fault': PanelFault, 'panel.ok': PanelOk },
  commands: { call: CallCommand, recall: RecallCommand, notice: NoticeCommand, clear: ClearCommand, mode: ModeCommand, brightness: BrightnessCommand, pause: PauseCommand },
  requests: {},
});
export type CallerContract = typeof callerContract;
