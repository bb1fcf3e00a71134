// An in-memory KioskBackend for the kiosk server and page tests: a hall with real-looking
// categories, tickets numbered per prefix, appointments by code, and knobs to push view changes
// and scans, hold a take open, or make the backend throw.
import { PageChannel } from '../../../firmware/pages/page-channel.js';
import type { IssuedTicket, KioskBackend, KioskCategory, KioskView, PageTakeRequest, ScanOutcome, TakeResult } from '../../../firmware/roles/ticket-printer/kiosk/kiosk-types.js';

function cat(id: string, prefix: string, name: string, nameEn: string, extra: Partial<KioskCategory> = {}): KioskCategory {
  return { id, prefix, name, nameEn, state: 'open', hours: '08:30-12:00, 13:30-17:30', priority: false, waiting: 3, ...extra };
}

/** Fifteen categories of a county service hall: one paused, one closed, one exhausted. */
export function hallCategories(): KioskCategory[] {
  return [
    cat('social', 'A', '社保医保', 'Social & medical insurance', { priority: true, waiting: 12 }),
    cat('fund', 'B', '住房公积金', 'Housing fund', { priority: true, waiting: 4 }),
    cat('property', 'C', '不动产登记', 'Property registration', { waiting: 7 }),
    cat('hukou', 'D', '户籍办理', 'Household registration', { priority: true, waiting: 0 }),
    cat('exit', 'E', '出入境', 'Exit & entry permits', { waiting: 2 }),
    cat('tax', 'F', '税务', 'Taxes', { waiting: 9 }),
    cat('business', 'G', '企业开办', 'Starting a business', { waiting: 1 }),
    cat('traffic', 'H', '交通违法处理', 'Traffic violations', { waiting: null }),
    cat('notary', 'J', '公证', 'Notary', { state: 'closed', hours: '09:00-11:30', waiting: null }),
    cat('marriage', 'K', '婚姻登记', 'Marriage registration', { state: 'paused', waiting: 5 }),
    cat('relief', 'L', '民政救助', 'Social assistance', { priority: true, waiting: 0 }),
    cat('disability', 'M', '残疾人服务', 'Disability services', { priority: true, waiting: 1 }),
    cat('veterans', 'N', '退役军人服务', 'Veterans affairs', { priority: true, waiting: 0 }),
    cat('pickup', 'P', '证照领取', 'Document pickup', { state: 'exhausted', waiting: null }),
    cat('enquiry', 'Q', '综合咨询', 'General enquiries', { waiting: 6 }),
  ];
}

export function hallView(patch: Partial<KioskView> = {}): KioskView {
  return {
    hallName: '城关镇便民服务中心',
    hallNameEn: 'Chengguan Town Service Center',
    timeZone: 'Asia/Shanghai',
    rev: 1,
    online: true,
    blocked: null,
    paperLow: false,
    idleMs: 60_000,
    categories: hallCategories(),
    notice: null,
    identity: { reader: false, identified: null, problem: null },
    sms: false,
    ...patch,
  };
}

const REFUSAL_TEXT: Record<string, { zh: string; en: string }> = {
  'unknown-category': { zh: '没有这项业务', en: 'There is no such service' },
  paused: { zh: '该业务暂停服务，请到服务台咨询', en: 'This service is paused; please ask at the information desk' },
  closed: { zh: '现在不是该业务的服务时间', en: 'This service is closed now' },
  exhausted: { zh: '该业务今日号已取完', en: 'No tickets left today for this service' },
  printer: { zh: '打印机故障，请到服务台取号', en: 'Printer fault; please ask at the information desk' },
  'appointment-not-found': { zh: '未找到该预约，请核对预约码', en: 'Appointment not found; please check the code' },
  'no-priority': { zh: '该业务没有绿色通道', en: 'This service has no priority lane' },
};

function refuse(reason: Extract<TakeResult, { ok: false }>['reason']): TakeResult {
  return { ok: false, reason, message: REFUSAL_TEXT[reason] ?? { zh: '无法取号', en: 'No ticket' } };
}

export class FakeKioskBackend implements KioskBackend {
  current: KioskView;
  readonly takes: PageTakeRequest[] = [];
  readonly checkIns: string[] = [];
  /** Appointment code → category id. */
  readonly appointments = new Map<string, string>([['A1B2C3', 'property'], ['20240518', 'tax']]);
  /** When set, take() waits for this before answering (a slow printer). */
  gate: Promise<void> | null = null;
  /** When set, take() and checkIn() throw this. */
  failWith: Error | null = null;
  private readonly counters = new Map<string, number>();
  private readonly views = new PageChannel<KioskView>();
  private readonly scans = new PageChannel<ScanOutcome>();

  constructor(view: Partial<KioskView> = {}) {
    this.current = hallView(view);
  }

  get listenerCount(): number {
    return this.views.size + this.scans.size;
  }

  view(): KioskView {
    return structuredClone(this.current);
  }

  onViewChange(listener: (view: KioskView) => void): () => void {
    return this.views.on(listener);
  }

  onScan(listener: (outcome: ScanOutcome) => void): () => void {
    return this.scans.on(listener);
  }

  /** Changes the view (rev + 1) and tells every listener. */
  update(patch: Partial<KioskView>): KioskView {
    this.current = { ...this.current, ...patch, rev: this.current.rev + 1 };
    this.views.emit(this.view());
    return this.current;
  }

  updateCategory(id: string, patch: Partial<KioskCategory>): KioskView {
    return this.update({ categories: this.current.categories.map((c) => (c.id === id ? { ...c, ...patch } : c)) });
  }

  /** A code read at the scanner: checks it in and pushes the outcome like the role does. */
  scan(code: string): ScanOutcome {
    const outcome = { code, result: this.checkInNow(code) };
    this.scans.emit(structuredClone(outcome));
    return outcome;
  }

  async take(request: PageTakeRequest): Promise<TakeResult> {
    this.takes.push(request);
    if (this.gate) await this.gate;
    if (this.failWith) throw this.failWith;
    const c = this.current.categories.find((x) => x.id === request.category);
    if (!c) return refuse('unknown-category');
    if (this.current.blocked) return refuse('printer');
    if (c.state !== 'open') return refuse(c.state);
    if (request.priority && !c.priority) return refuse('no-priority');
    return { ok: true, ticket: this.issue(c, { priority: request.priority, appointment: null }) };
  }

  async checkIn(code: string): Promise<TakeResult> {
    this.checkIns.push(code);
    if (this.failWith) throw this.failWith;
    return this.checkInNow(code);
  }

  private checkInNow(code: string): TakeResult {
    const id = this.appointments.get(code);
    const c = this.current.categories.find((x) => x.id === id);
    if (!c) return refuse('appointment-not-found');
    return { ok: true, ticket: this.issue(c, { priority: false, appointment: code }) };
  }

  private issue(c: KioskCategory, extra: { priority: boolean; appointment: string | null }): IssuedTicket {
    const n = (this.counters.get(c.prefix) ?? 0) + 1;
    this.counters.set(c.prefix, n);
    return {
      number: `${c.prefix}${String(n).padStart(3, '0')}`,
      categoryId: c.id,
      category: c.name,
      categoryEn: c.nameEn,
      waiting: c.waiting,
      window: null,
      offline: !this.current.online,
      ...extra,
    };
  }
}
