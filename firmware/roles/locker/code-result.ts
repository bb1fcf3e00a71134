// What entering a pickup code came to: shared by the desk that checks it, the cabinet state that
// shows the keypad's last result, and the page (its own file, so neither imports the other).
export type CodeResult =
  | { ok: true; door: number }
  | { ok: false; reason: 'locked-out'; until: number }
  | { ok: false; reason: 'wrong-code'; remaining: number }
  | { ok: false; reason: 'not-opened' | 'unavailable'; door?: number; message: string };
