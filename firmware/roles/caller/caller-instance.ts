// The running caller: its commands around one CallerDisplayModel (what is shown), the panels that
// paint it, the announcement queue and the keypad. A new config restarts panels, keypad and
// voice pack; the board (current call, notice, mode) carries over.
import { callerContract, type Announced, type CallerContract } from '../../../protocol/caller.js';
import { DeviceError } from '../../link/device-error.js';
import { roleCommands, type RoleContext, type RoleInstance } from '../role-module.js';
import { announcementText } from './announcement-text.js';
import { Announcer, type AnnouncementJob } from './announcer.js';
import { CallerDisplayModel } from './caller-display-model.js';
import { manualTests, panelsSelfTest, speakerSelfTest } from './caller-diagnostics.js';
import { CallerKeypad } from './caller-keypad.js';
import { CallerPanels } from './caller-panels.js';
import { CallerStore, type CallRecord } from './caller-store.js';
import type { CallerConfig } from './config.js';
import { callerSectionProblems } from './section-problems.js';
import { VoicePack } from './voice-pack.js';
import type { PageServer } from '../../pages/page-server.js';
import { callerView, startCallerPage } from './page/caller-page.js';

const TEST_PATTERN_MS = 5000;

interface Front {
  page: PageServer | undefined;
  pageError: string | null;
  panels: CallerPanels;
  keypad: CallerKeypad;
  voicePack: VoicePack | undefined;
  voicePackError: string | null;
}

export interface CallerInternals {
  announcer: Announcer;
  board: CallerDisplayModel;
  front(): Front;
}

async function loadVoicePack(ctx: RoleContext<CallerContract>, config: CallerConfig): Promise<{ pack: VoicePack | undefined; error: string | null }> {
  const dir = config.voice.voicePack;
  if (dir === undefined) return { pack: undefined, error: null };
  try {
    const pack = await VoicePack.load(dir);
    if (pack.problems.length > 0) ctx.log.warn({ dir, problems: pack.problems }, 'voice pack clips left out');
    ctx.log.info({ dir, words: pack.words }, 'voice pack loaded');
    return { pack, error: null };
  } catch (err) {
    // Without the pack the speaker's own voice reads the announcements.
    ctx.log.error({ dir, err: (err as Error).message }, 'voice pack not loaded: using text-to-speech');
    return { pack: undefined, error: (err as Error).message };
  }
}

export async function startCaller(ctx: RoleContext<CallerContract>, initial: CallerConfig): Promise<RoleInstance<CallerConfig, CallerContract> & { internals: CallerInternals }> {
  const store = new CallerStore(ctx.store);
  const settings = await store.load({ mode: initial.silent ? 'silent' : 'voice', current: null, history: [], notice: null, paused: false, brightness: null });
  let config = initial;
  const board = new CallerDisplayModel(settings, ctx.clock, ctx.timers, config.lastN);
  // The page's view revision: counted before anyone else hears of a change.
  let rev = 0;
  board.onChange(() => (rev += 1));
  let brightnessOverride = settings.brightness;
  let front: Front;

  const publish = () => {
    const v = board.view();
    const call = (c: CallRecord) => ({ ticket: c.ticket, window: c.window, priority: c.priority, at: c.at });
    ctx.link.setState({
      window: config.window,
      mode: v.mode,
      paused: v.paused,
      current: v.current ? call(v.current) : null,
      last: v.history.map(call),
      next: v.next.map(call),
      notice: v.notice ? { text: v.notice.text, ...(v.notice.untilMs !== undefined ? { untilMs: v.notice.untilMs } : {}) } : null,
      brightness: front.panels.brightness(),
      panels: front.panels.status(),
      queue: announcer.pending,
      voicePack: front.voicePack ? { dir: front.voicePack.dir, words: front.voicePack.words } : null,
      page: front.page?.url ?? null,
    });
  };

  // The record of each queued job, so the board can show it when its announcement starts.
  const queued = new Map<AnnouncementJob, CallRecord>();
  const announcer = new Announcer({
    speaker: ctx.hal.speaker(),
    timers: ctx.timers,
    clock: ctx.clock,
    onStart: (job) => {
      const call = queued.get(job);
      queued.delete(job);
      if (call) board.present(call);
    },
    mode: () => board.currentMode,
    voice: () => config.voice,
    voicePack: () => front.voicePack,
    onDone: (result: Announced) => {
      if (result.error !== undefined) ctx.log.error({ ticket: result.ticket, err: result.error }, 'announcement failed');
      void ctx.link.emit('announced', result).catch((err: unknown) => ctx.log.error({ err: (err as Error).message }, 'announced not recorded'));
      publish();
    },
  });

  const startFront = async (c: CallerConfig): Promise<Front> => {
    const { pack, error } = await loadVoicePack(ctx, c);
    const panels = new CallerPanels(ctx, c, board, () => publish());
    const keypad = new CallerKeypad(ctx, c, board);
    let pageError: string | null = null;
    const page = c.page.enabled
      ? await startCallerPage({ board, view: () => callerView(board, { rev, lang: c.lang, window: c.window, hallName: c.hallName, timeZone: ctx.timeZone, now: ctx.clock.bestGuess() }), timers: ctx.timers, host: c.page.host, port: c.page.port, log: ctx.log.child({ part: 'caller-page' }), screenToken: ctx.screenToken }).catch((err: unknown) => {
          // Without the TV page the panels still show the calls: a busy port is a fault to report.
          pageError = (err as Error).message;
          ctx.log.error({ err: pageError, port: c.page.port }, 'caller TV page not served');
          return undefined;
        })
      : undefined;
    front = { page, pageError, panels, keypad, voicePack: pack, voicePackError: error };
    await panels.start(brightnessOverride);
    keypad.start();
    return front;
  };
  const stopFront = async () => {
    front.keypad.stop();
    front.panels.stop();
    await front.page?.close();
  };
  front = await startFront(config);
  const offBoard = board.onChange(publish);
  publish();

  const enqueue = (call: CallRecord, voice: boolean, recall: boolean) => {
    const job: AnnouncementJob = { ticket: call.ticket, window: call.window, text: call.text, voice, recall };
    queued.set(job, call);
    return announcer.enqueue(job);
  };

  return {
    // A call being spoken (or waiting to be) is not cut off by an update's restart.
    busy: () => (announcer.pending > 0 ? `${announcer.pending} call${announcer.pending === 1 ? '' : 's'} being announced` : undefined),
    internals: { announcer, board, front: () => front },
    commands: roleCommands(callerContract, {
      call: {
        effect: 'state',
        run: async (data, cmd) => {
          const call: CallRecord = {
            ticket: data.ticket,
            window: data.window,
            priority: data.priority ?? false,
            text: data.text ?? announcementText(config.template, data.ticket, data.window),
            at: ctx.clock.bestGuess(),
          };
          cmd.record(store.set('current', call));
          cmd.record(store.set('history', board.historyWith(call)));
          board.call(call);
          const ahead = enqueue(call, data.voice ?? true, false);
          return { ticket: call.ticket, window: call.window, text: call.text, mode: board.currentMode, ahead };
        },
      },
      recall: {
        effect: 'state',
        run: async (data) => {
          const current = board.view().current;
          if (!current || (data.ticket !== undefined && data.ticket !== current.ticket)) throw new DeviceError('NOT_FOUND', `no current call${data.ticket !== undefined ? ` for ${data.ticket}` : ''} to recall (current: ${current?.ticket ?? 'none'})`);
          // Shown anew (a marquee restarts) when the recall is heard, like any call.
          const ahead = enqueue(current, true, true);
          return { ticket: current.ticket, window: current.window, mode: board.currentMode, ahead };
        },
      },
      notice: {
        effect: 'state',
        run: async (data, cmd) => {
          if (data.untilMs !== undefined && data.untilMs <= ctx.clock.bestGuess()) throw new DeviceError('BAD_REQUEST', `untilMs ${data.untilMs} is already past (device time ${ctx.clock.bestGuess()})`);
          const notice = { text: data.text, ...(data.untilMs !== undefined ? { untilMs: data.untilMs } : {}), at: ctx.clock.bestGuess() };
          cmd.record(store.set('notice', notice));
          board.setNotice(notice);
          return { notice: data.text, hallWide: cmd.hallWide };
        },
      },
      clear: {
        effect: 'state',
        run: async (data, cmd) => {
          const what = data.what ?? 'all';
          if (what === 'call' || what === 'all') cmd.record(store.set('current', null));
          if (what === 'history' || what === 'all') cmd.record(store.set('history', []));
          if (what === 'notice' || what === 'all') cmd.record(store.set('notice', null));
          board.clear(what);
          return { cleared: what };
        },
      },
      mode: {
        // Its one lasting effect is the record: one commit with its ack.
        effect: 'records',
        run: async (data, cmd) => {
          cmd.record(store.set('mode', data.mode));
          board.setMode(data.mode);
          return { mode: data.mode };
        },
      },
      brightness: {
        effect: 'state',
        run: async (data, cmd) => {
          brightnessOverride = data.level === 'auto' ? null : data.level;
          cmd.record(store.set('brightness', brightnessOverride));
          front.panels.setOverride(brightnessOverride);
          publish();
          return front.panels.brightness();
        },
      },
      pause: {
        effect: 'state',
        run: async (data, cmd) => {
          cmd.record(store.set('paused', data.paused));
          board.setPaused(data.paused);
          return { paused: data.paused };
        },
      },
    }),
    selfTests: {
      panels: async () => panelsSelfTest(front.panels),
      speaker: async () => speakerSelfTest(ctx),
      page: async () => ({
        name: 'page',
        ok: !config.page.enabled || front.page !== undefined,
        detail: front.page?.url ?? (config.page.enabled ? `TV page not served: ${front.pageError ?? 'unknown'}` : 'TV page disabled'),
      }),
      'voice-pack': async () => ({
        name: 'voice-pack',
        ok: front.voicePackError === null,
        detail: front.voicePack ? `${front.voicePack.words} clips from ${front.voicePack.dir}${front.voicePack.problems.length > 0 ? `; left out: ${front.voicePack.problems.join('; ')}` : ''}` : (front.voicePackError ?? 'no voice pack configured: text-to-speech'),
      }),
    },
    manualSelfTests: manualTests(ctx, () => front, TEST_PATTERN_MS, { template: () => config.template, speakerTest: (text) => announcer.speakerTest(text) }),
    async checkConfig(next) {
      return callerSectionProblems(next, ctx.hal.describe());
    },
    async reconfigure(next) {
      await stopFront();
      config = next;
      board.setLastN(next.lastN);
      front = await startFront(next);
      publish();
    },
    async stop() {
      offBoard();
      announcer.stop();
      await stopFront();
      board.stop();
    },
  };
}
