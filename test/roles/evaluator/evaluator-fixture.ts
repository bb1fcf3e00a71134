// A whole evaluator in one process for the role tests: embedded broker, the reference server,
// and an `evaluator` device on the sim board with five level buttons and their LEDs.
import type { ReferenceServer } from '../../../simulators/hall/reference-server.js';
import { Runtime } from '../../../firmware/runtime.js';
import { isSimHal, type SimHal } from '../../../simulators/hal/sim-hal.js';
import type { Hal } from '../../../drivers/hal/types.js';
import type { DeviceEvent } from '../../../protocol/hall-client.js';
import type { Ack } from '../../../protocol/messages.js';
import type { RequestCommand, StaffCommand } from '../../../protocol/evaluator.js';
import type { RateResult, EvaluatorView } from '../../../firmware/roles/evaluator/page/evaluator-view.js';
import type { DeviceTime } from '../../../testkit/device-time.js';
import { startPageDevice } from '../../../testkit/page-device.js';
import { roleRuntimeOptions, startRoleHall } from '../../../testkit/role-hall.js';

interface Teardown {
  teardown(fn: () => unknown): void;
}

export const DEVICE = 'eval-1';
export const LEVELS = [5, 4, 3, 2, 1] as const;

export const IO = {
  inputs: Object.fromEntries(LEVELS.map((l, i) => [`btn-${l}`, { pin: `GPIO${5 + i}`, debounceMs: 20 }])),
  outputs: Object.fromEntries(LEVELS.map((l, i) => [`led-${l}`, { pin: `GPIO${20 + i}` }])),
};

export const CONTENT = {
  version: 'gd-2026.1',
  levels: {
    '5': [{ id: 'fast', name: '办事快', nameEn: 'Fast' }],
    '4': [],
    '3': [],
    '2': [
      { id: 'efficiency', name: '服务效率', nameEn: 'Efficiency' },
      { id: 'attitude', name: '服务态度', nameEn: 'Attitude' },
    ],
    '1': [
      { id: 'efficiency', name: '服务效率', nameEn: 'Efficiency' },
      { id: 'skill', name: '服务水平', nameEn: 'Competence' },
      { id: 'attitude', name: '服务态度', nameEn: 'Attitude' },
    ],
  },
};

/** A 2×2 PNG (red), small enough for a command. */
export const PHOTO = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==';

export const STAFF: StaffCommand = {
  name: '李晓梅',
  number: 'GZ-0107',
  photo: PHOTO,
  window: '7号窗口',
  starLevel: 4,
  matters: ['社会保障卡申领', '养老保险关系转移'],
  guide: ['请准备好身份证原件。', '办理完成后请对本次服务进行评价。'],
};

export function caseRequest(caseId: string, extra: Partial<RequestCommand> = {}): RequestCommand {
  return { caseId, matterCode: '440100-SB-001', matterName: '社会保障卡申领', ticket: 'A023', staffId: 'GZ-0107', window: '7号窗口', contentVersion: CONTENT.version, ...extra };
}

export interface EvaluatorFixture {
  server: ReferenceServer;
  /** Stops the broker (the hall network is down) / starts it again on the same port. */
  brokerDown(): Promise<void>;
  brokerUp(): Promise<void>;
  runtime: Runtime;
  /** The sim board's controls (unset on another board). */
  hal: SimHal;
  url: string;
  command(name: 'request' | 'cancel' | 'staff' | 'content' | 'pause' | 'resume', data: Record<string, unknown>): Promise<Ack>;
  rate(caseId: string, level: number, items?: string[]): Promise<RateResult>;
  view(): Promise<EvaluatorView>;
  events(name: string): DeviceEvent[];
  restart(): Promise<void>;
}

export async function evaluatorFixture(
  t: Teardown,
  options: {
    role?: Record<string, unknown>;
    /** More io parts on the sim board (an OLED: i2c + displays). */
    io?: Record<string, unknown>;
    time?: DeviceTime;
    /** Another board than the sim one: its id, its io section and a HAL factory (e.g. Firmata on mock-firmata). `hal` in the fixture is then unset. */
    board?: { id: string; io: Record<string, unknown>; hal: () => Promise<Hal> };
  } = {},
): Promise<EvaluatorFixture> {
  const hall = await startRoleHall(t, { prefix: 'halld-eval-' });
  const { server } = hall;
  const config = hall.config(DEVICE, {
    board: options.board?.id ?? 'sim',
    io: options.board?.io ?? { ...IO, ...options.io },
    roles: {
      sys: {},
      evaluator: {
        page: { port: 0, idleMs: 5000 },
        thankYouMs: 3000,
        ratingTimeoutMs: 60_000,
        content: CONTENT,
        buttons: LEVELS.map((level) => ({ input: `btn-${level}`, level, items: level <= 2 ? ['attitude'] : [] })),
        leds: LEVELS.map((level) => ({ output: `led-${level}`, level })),
        ...options.role,
      },
    },
  });

  const fixture = {} as EvaluatorFixture;
  const start = async () => {
    const hal = options.board ? await options.board.hal() : undefined;
    return Runtime.start(config, roleRuntimeOptions({ ...(hal ? { hal } : {}), time: options.time }));
  };
  const onReady = (runtime: Runtime, pageUrl: string) => {
    fixture.runtime = runtime;
    if (isSimHal(runtime.hal)) fixture.hal = runtime.hal;
    else if (!options.board) throw new Error('expected the sim board');
    fixture.url = pageUrl;
  };
  Object.assign(fixture, {
    server,
    brokerDown: () => hall.brokerDown(),
    brokerUp: async () => void (await hall.brokerUp()),
    command: (name: string, data: Record<string, unknown>) => server.client.commandUnchecked(DEVICE, `evaluator/${name}`, data),
    rate: async (caseId: string, level: number, items: string[] = []) => {
      const res = await fetch(new URL('api/rate', fixture.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ caseId, level, items }) });
      return (await res.json()) as RateResult;
    },
    view: async () => (await (await fetch(new URL('api/view', fixture.url))).json()) as EvaluatorView,
    events: (name: string) => server.events.filter((e) => e.device === DEVICE && e.role === 'evaluator' && e.name === name),
  });
  const device = await startPageDevice(t, { client: server.client, device: DEVICE, role: 'evaluator', pageField: 'page', start, onReady });
  fixture.restart = device.restart;
  return fixture;
}
