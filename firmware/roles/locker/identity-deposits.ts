// Certificate deposits bound to a citizen (cmd deposit `identity`): the salted scrypt hash of
// their ID number, kept beside the deposit in its own table so a card laid on the cabinet's
// reader can be checked here, offline as well. The cabinet never receives the number; the card
// read is hashed with each deposit's own salt and dropped. The row goes as soon as its deposit
// is no longer active (a trigger, so every way a deposit ends takes the hash with it).
import type { DepositCommand, ScryptParams } from '../../../protocol/locker.js';
import { identityMatches } from '../../../protocol/identity-hash.js';
import type { Statement, Store } from '../../store/store.js';

export const IDENTITY_DEPOSIT_MIGRATION = `CREATE TABLE lk_deposit_identity (
     deposit_id TEXT PRIMARY KEY,
     hash TEXT NOT NULL,
     salt TEXT NOT NULL,
     scrypt TEXT NOT NULL
   );
   CREATE TRIGGER lk_deposit_identity_end AFTER UPDATE OF state ON lk_deposit WHEN NEW.state <> 'active'
   BEGIN
     DELETE FROM lk_deposit_identity WHERE deposit_id = NEW.deposit_id;
   END;`;

export type DepositIdentity = NonNullable<DepositCommand['identity']>;

/** Why a deposit's identity cannot be checked on this board, or undefined. */
export function depositIdentityProblem(identity: DepositIdentity, maxScryptBytes: number): string | undefined {
  const { N, r, keylen } = identity.scrypt;
  if ((N & (N - 1)) !== 0) return `identity.scrypt N must be a power of two, not ${N}`;
  if (128 * N * r > maxScryptBytes) return `identity.scrypt N * r * 128 = ${128 * N * r} bytes is over the board's ${maxScryptBytes}`;
  if (identity.hash.length !== keylen * 2) return `identity.hash has ${identity.hash.length / 2} bytes, identity.scrypt.keylen says ${keylen}`;
  return undefined;
}

export function depositIdentityStatement(depositId: string, identity: DepositIdentity): Statement {
  return {
    sql: 'INSERT INTO lk_deposit_identity (deposit_id, hash, salt, scrypt) VALUES (?, ?, ?, ?)',
    params: [depositId, identity.hash, identity.salt, JSON.stringify(identity.scrypt)],
  };
}

/** The active, unexpired certificate deposits bound to `number` (door order is the caller's). */
export async function depositsOfIdentity(store: Store, number: string, now: number): Promise<Array<{ depositId: string; door: number }>> {
  const rows = await store.all<{ deposit_id: string; door: number; hash: string; salt: string; scrypt: string }>(
    `SELECT d.deposit_id, d.door, i.hash, i.salt, i.scrypt FROM lk_deposit_identity i JOIN lk_deposit d ON d.deposit_id = i.deposit_id
     WHERE d.state = 'active' AND d.kind = 'certificate' AND d.expires_at > ? ORDER BY d.created_at`,
    [now],
  );
  const out: Array<{ depositId: string; door: number }> = [];
  for (const r of rows) {
    if (await identityMatches(number, { hash: r.hash, salt: r.salt, scrypt: JSON.parse(r.scrypt) as ScryptParams })) out.push({ depositId: r.deposit_id, door: r.door });
  }
  return out;
}
