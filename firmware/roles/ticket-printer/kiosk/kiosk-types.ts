// The contract between the ticket-printer role and its touchscreen page: what the page shows
// (KioskView, pushed on every change) and what it may ask (take a ticket). The page never
// talks to the link or the printer; the role decides everything and the page only renders.
import type { KioskIdentityState } from '../kiosk-identity.js';

/** Why a category cannot issue right now (the page shows the reason in both languages). */
export type CategoryState = 'open' | 'paused' | 'closed' | 'exhausted';

export interface KioskCategory {
  id: string;
  name: string;
  nameEn: string;
  /** Ticket prefix, e.g. "A". */
  prefix: string;
  state: CategoryState;
  /** Service hours today as shown, e.g. "08:30-12:00, 13:30-17:30". */
  hours: string;
  /** Offers the priority / green-channel path (elderly, disabled, pregnant, military). */
  priority: boolean;
  /** People waiting, when the server told us; null offline. */
  waiting: number | null;
}

/** Why the kiosk cannot issue at all (printer fault names of docs/protocol.md, not started, or its disk cannot record a ticket). */
export type KioskBlock = 'paper-out' | 'cover-open' | 'offline' | 'cutter' | 'no-printer' | 'storage-full';

export interface KioskView {
  hallName: string;
  hallNameEn: string;
  /** The hall's IANA zone: the header clock shows hall time, whatever the browser's zone is. */
  timeZone: string;
  /** Monotonic counter: a page ignores a view older than one it has. */
  rev: number;
  /** Server reachable; offline the kiosk still issues from its own range. */
  online: boolean;
  /** null when tickets can print; otherwise why not (the page shows it instead of the menu). */
  blocked: KioskBlock | null;
  /** Paper is running low: the page may show a small hint; printing goes on. */
  paperLow: boolean;
  /** Return to the home screen after this long without a touch. */
  idleMs: number;
  categories: KioskCategory[];
  /** Optional banner from the server config, per language. */
  notice: { zh: string; en: string } | null;
  /** The ID-card reader and the swipe waiting for the next take (nothing personal). */
  identity: KioskIdentityState;
  /** Offer the "SMS reminder" step (a mobile number sent with the take). */
  sms: boolean;
}

/** What the page may send with a take. */
export interface PageTakeRequest {
  category: string;
  priority: boolean;
  /** 11 digits, 1[3-9]…, for SMS reminders. */
  phone?: string;
}

export interface IssuedTicket {
  number: string;
  categoryId: string;
  category: string;
  categoryEn: string;
  waiting: number | null;
  window: string | null;
  offline: boolean;
  priority: boolean;
  appointment: string | null;
}

export type TakeRefusal =
  | 'unknown-category'
  | 'paused'
  | 'closed'
  | 'exhausted'
  | 'printer'
  | 'storage'
  | 'busy'
  | 'appointment-not-found'
  | 'no-priority';

export type TakeResult =
  | { ok: true; ticket: IssuedTicket }
  | { ok: false; reason: TakeRefusal; message: { zh: string; en: string } };

/** A scan at the kiosk's barcode scanner (appointment check-in), pushed to the page. */
export interface ScanOutcome {
  code: string;
  result: TakeResult;
}

export interface KioskBackend {
  view(): KioskView;
  /** Called after every change of the view (printer state, link, pause, quota). */
  onViewChange(listener: (view: KioskView) => void): () => void;
  /** A scanner read an appointment code: the page shows the outcome. */
  onScan(listener: (outcome: ScanOutcome) => void): () => void;
  take(request: PageTakeRequest): Promise<TakeResult>;
  /** Appointment check-in by a code typed on the page (when the scanner cannot read it). */
  checkIn(code: string): Promise<TakeResult>;
}
