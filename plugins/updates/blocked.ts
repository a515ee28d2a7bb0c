/**
 * The blocked credentials of an update file: every credential generation that Destroy Keys or a
 * deletion retired, and every gateway engine taken out of service. The list is complete each
 * time (not only changes since the last file), so the CRS needs only the latest file.
 */
import type { BlockedCredential } from './types.js';

export interface BlockingState {
  /** Current users: number (E.164) → current generation. */
  users: Map<string, number>;
  /** Deleted users: number → the generation held at deletion (the highest, if deleted more than once). */
  deleted: Map<string, number>;
  /** Engines out of service (revoked or of deleted gateways): gateway number and engine id. */
  engines: { number: string; engine: string }[];
}

export function blockedCredentials(s: BlockingState): BlockedCredential[] {
  const out: BlockedCredential[] = [];
  const numbers = [...new Set([...s.users.keys(), ...s.deleted.keys()])].sort();
  for (const number of numbers) {
    const deleted = s.deleted.get(number) ?? 0;
    const current = s.users.get(number);
    // A current user holds its own generation; every one below it is retired.
    const through = Math.max(deleted, current === undefined ? 0 : current - 1);
    for (let g = 1; g <= through; g++) out.push({ kind: 'user', uri: `tel:${number}`, generation: g, reason: g <= deleted ? 'deleted' : 'destroyed' });
  }
  const engines = [...new Map(s.engines.map((e) => [e.engine, e])).values()].sort((a, b) => a.number.localeCompare(b.number) || a.engine.localeCompare(b.engine));
  for (const e of engines) out.push({ kind: 'engine', gateway: `tel:${e.number}`, engine: e.engine, reason: 'revoked' });
  return out;
}
