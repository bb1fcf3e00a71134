// Which desired configs the device may apply (docs/protocol.md "What the device trusts"): a config's
// rev must be newer than the applied one, the applied rev again is only a re-delivery when its
// content is the same, and with the server's key only a config signed for this device's config
// topic counts. The applied (rev, content digest) is kept in the store so a restart still tells
// the retained config it applied from a rival with the same rev.
import { createHash, type KeyObject } from 'node:crypto';
import { canonicalJson, verifyForTopic } from '../../protocol/signing.js';
import type { Statement, Store } from '../store/store.js';

/** Meta key of the applied config's revision and content digest. */
const APPLIED_CONFIG_META = 'link.appliedConfig';

export type ConfigJudgement =
  /** Apply it; record `applied` in the same transaction as config.applied. */
  | { kind: 'apply'; applied: Statement; commit: () => void }
  /** Seen before (a retained config re-delivered on reconnect) or the applied one again: say nothing. */
  | { kind: 'quiet' }
  | { kind: 'reject'; reasons: string[] };

export class ConfigGate {
  private applied: { rev: number; digest: string } | undefined;
  /** `rev:digest` of the last config judged, so the same retained message is judged once. */
  private lastSeen = '';

  constructor(
    private readonly store: Store,
    private readonly serverPublicKey: KeyObject | undefined,
  ) {}

  async load(): Promise<void> {
    const stored = await this.store.getMeta(APPLIED_CONFIG_META);
    if (stored !== undefined) this.applied = JSON.parse(stored) as { rev: number; digest: string };
  }

  judge(topic: string, raw: Record<string, unknown>, rev: number, data: Record<string, unknown>, appliedRev: number): ConfigJudgement {
    const digest = createHash('sha256').update(canonicalJson(data)).digest('hex');
    const seen = `${rev}:${digest}`;
    if (seen === this.lastSeen) return { kind: 'quiet' };
    this.lastSeen = seen;
    if (this.serverPublicKey) {
      const signature = verifyForTopic(raw, this.serverPublicKey, topic);
      if (!signature.ok) return { kind: 'reject', reasons: [`config rev ${rev}: ${signature.reason}; this device has the server's key and takes only signed configs`] };
    }
    if (rev < appliedRev) return { kind: 'reject', reasons: [`rev ${rev} is older than the applied rev ${appliedRev}; a config must be newer than the one in force`] };
    if (rev === appliedRev) {
      const known = this.applied?.rev === rev ? this.applied.digest : undefined;
      // Applied before this firmware kept digests: the same rev can only be taken as a re-delivery.
      if (known === undefined || known === digest) return { kind: 'quiet' };
      return { kind: 'reject', reasons: [`same revision ${rev} as the applied config, but different content; publish it as a new revision`] };
    }
    const next = { rev, digest };
    return {
      kind: 'apply',
      applied: this.store.setMetaStatement(APPLIED_CONFIG_META, JSON.stringify(next)),
      commit: () => (this.applied = next),
    };
  }
}
