// What entering a pickup code came to: shared by the desk that checks it, the cabinet state that
// shows the keypad's last result, and the page (its own file, so neither imports the other).
export type CodeResult =
  | { ok: true; door: number }
  | { ok: false; reason: 'locked-out'; until: number }
  | { ok: false; reason: 'wrong-code'; remaining: number }
  | { ok: false; reason: 'not-opened' | 'unavailable'; door?: number; message: string };

/**
 * The last pickup tried at the cabinet itself (keypad, QR scanner, ID card), for its page: the
 * citizen there has no other screen. `seq` tells one result from the next, even an equal one.
 * Only the door or the reason: never the code, the card's number or anything else on the card.
 */
export interface PickupShown {
  seq: number;
  via: 'keypad' | 'scan' | 'id-card';
  result: CodeResult | { ok: false; reason: 'card-unreadable' };
}
