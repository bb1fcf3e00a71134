// What the sys role sees of the updater (RuntimeServices.update): kept apart from the
// updater itself so the role's types do not pull the whole update machinery in.

/** The command's answer: accepted, and when the switch will happen. */
export interface UpdateAccepted {
  readonly accepted: true;
  readonly version: string;
  /** 'now', or why and until when it waits ('quiet window 22:00-06:00 from 2026-12-07T14:00:00.000Z'). */
  readonly when: string;
  /** ms since epoch of the earliest switch, when it waits for the quiet window. */
  readonly notBefore?: number;
  /** Bytes already on the board (a resumed transfer). */
  readonly have: number;
}

export interface ChunkAnswer {
  /** Bytes the board holds now: the next chunk starts here. */
  readonly have: number;
  readonly size: number;
  readonly complete: boolean;
}

export interface UpdateRequest {
  readonly version: string;
  readonly arch: string;
  readonly size: number;
  readonly sha256: string;
  readonly signature: string;
  readonly source: { readonly url: string } | { readonly chunks: true };
  readonly when?: 'now' | 'quiet';
}

export interface UpdateService {
  /** Checks what can be checked at once and starts the update in the background. */
  start(id: string, request: UpdateRequest): Promise<UpdateAccepted>;
  chunk(sha256: string, offset: number, data: Buffer): Promise<ChunkAnswer>;
  /** The server's sys/ping reached this release: one of the three signs of health. */
  notePing(): void;
}
