/**
 * The contents of an update file: one sealed entry per endpoint (each user with its lines, each
 * gateway crypto engine) and the CRS-visible part, from the keys already stored for both months.
 * A missing key is `E_NO_KEYS` (the service then makes the keys and builds again).
 */
import { randomBytes } from 'node:crypto';
import { CommandError } from '../../src/kernel/index.js';
import { zeroise, type Period } from '../../src/crypto/index.js';
import { channelKeyUri, type Channel } from '../channels/tokens.js';
import { engineTlsUri } from '../gateways/tokens.js';
import { telUri, type KeySetRecord } from '../keys/tokens.js';
import { derivePuk } from '../users/tokens.js';
import { blockedCredentials } from './blocked.js';
import { NONCE_BYTES, sealEntry } from './format.js';
import type { UpdateSummary } from './tokens.js';
import type { CrsEndpoint, CrsPart, EntryKeys, UpdateEntry } from './types.js';
import type { RunContext, UpdatesDeps, UpdatesDoc } from './updates.service.js';

const hex = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

export interface BuiltUpdate {
  crs: CrsPart;
  /** In endpoint order. */
  sealed: Buffer[];
  counts: Pick<UpdateSummary, 'endpoints' | 'users' | 'engines' | 'blocked' | 'peers' | 'revokedPeers' | 'channels'>;
  /** The engines in service, remembered so a later deletion of their gateway blocks them. */
  activeEngines: { number: string; engine: string }[];
  /** The users listed (number → generation), remembered so a later deletion blocks them whatever happens to its record. */
  listedUsers: Record<string, number>;
  /** Users the last file listed that are gone with no record of their deletion: recorded now, so they stay blocked. */
  unrecorded: Record<string, number>;
}

/**
 * Numbers no user holds any more, with the highest generation they had: as recorded at deletion
 * (`UsersDeletedHook`), or as the last file listed them — the safety net should the process have
 * died between a deletion and its record. Pass `current` to leave out numbers users hold now.
 */
export function retiredGenerations(docs: UpdatesDoc[], current?: Map<string, number>): Map<string, number> {
  const retired = new Map<string, number>();
  const note = (n: string, g: number) => retired.set(n, Math.max(g, retired.get(n) ?? 0));
  for (const d of docs) {
    if (d.kind === 'deleted') note(d.number, d.generation);
    if (d.kind === 'listed') for (const [n, g] of Object.entries(d.users)) if (!current?.has(n)) note(n, g);
  }
  return retired;
}

export function cancelled(): CommandError {
  return new CommandError('E_CANCELLED', 'the update was cancelled; no file was written and no key was stored');
}

export async function buildUpdate(deps: UpdatesDeps, periods: Period[], ctx: RunContext, opts: { retired: UpdatesDoc[]; created: Date }): Promise<BuiltUpdate> {
  const { users, keys, domain, settings } = deps;
  const months = periods.map(String);
  const crs = settings.crs();
  const features = settings.features();
  const binding = (endpoint: string) => ({ account: crs.account, months, endpoint });
  const { kpak, Z } = domain.publicKeys();
  const connected = (await deps.domains?.peers()) ?? [];
  const gone = deps.domains ? (await deps.domains.changesSince(new Date(0))).deleted : [];
  const connectedPrints = new Set(connected.map((p) => p.fingerprint));
  const channels: Channel[] = features.channels ? (deps.channels?.list() ?? []) : [];
  const channelKeys = new Map<string, Record<string, EntryKeys>>();
  // Each user's channels, found once: a channel may have thousands of members.
  const channelsOf = new Map<string, Channel[]>();
  for (const c of channels) for (const m of c.members) channelsOf.set(m, [...(channelsOf.get(m) ?? []), c]);
  for (const c of channels) channelKeys.set(c.id, await keysOf(channelKeyUri(c.id), periods, (p) => deps.channels!.keys(c.id, p)));
  const common = {
    format: 'keyward-update-entry' as const,
    version: 1 as const,
    months,
    securityDomain: domain.securityDomain,
    crs: { address: crs.address, account: crs.account },
    kms: { kpak: hex(kpak), z: hex(Z) },
    peers: connected.map((p) => ({ securityDomain: p.securityDomain, id: p.id, fingerprint: p.fingerprint, kpak: hex(p.kpak), z: hex(p.Z) })),
    revokedPeers: gone.filter((p) => !connectedPrints.has(p.fingerprint)).map((p) => ({ securityDomain: p.securityDomain, id: p.id, fingerprint: p.fingerprint })),
    settings: { ...features },
  };
  const endpoints: CrsEndpoint[] = [];
  const sealed: Buffer[] = [];
  const summaries = users.list();
  const gateways = deps.gateways?.list() ?? [];
  const total = summaries.length + gateways.reduce((n, g) => n + g.engines.length, 0);
  // One call for every entry's nonce: a small randomBytes call per entry costs more than the rest of sealing it.
  const nonces = randomBytes(NONCE_BYTES * total);
  const nonce = () => nonces.subarray(NONCE_BYTES * sealed.length, NONCE_BYTES * (sealed.length + 1));
  const report = () => {
    if (sealed.length % 200 === 0 || sealed.length === total) ctx.progress({ done: sealed.length, total, message: 'Writing entries' });
    if (ctx.signal.aborted) throw cancelled();
  };
  const generations = new Map<string, number>();
  for (const summary of summaries) {
    const user = users.get(summary.mobile);
    if (!user) continue; // deleted meanwhile
    try {
      const endpoint = telUri(user.mobile);
      const identities = [];
      for (const n of [user.mobile, ...user.lines]) identities.push({ uri: telUri(n), keys: await keysOf(telUri(n), periods, (p) => keys.get(telUri(n), p)) });
      const entry: UpdateEntry = {
        ...common,
        endpoint,
        kind: 'user',
        identities,
        puk: Object.fromEntries(periods.map((p) => [p.toString(), derivePuk(user.updateKey, p)])),
        channels: (channelsOf.get(user.mobile) ?? []).map((c) => ({ id: c.id, name: c.name, keys: channelKeys.get(c.id)! })),
      };
      sealed.push(sealEntry(user.updateKey, binding(endpoint), entry, nonce()));
      endpoints.push({ id: endpoint, kind: 'user', generation: user.generation, lines: user.lines.map(telUri) });
      generations.set(user.mobile, user.generation);
    } finally {
      zeroise(user.updateKey, user.qrCodeKey);
    }
    report();
  }
  const activeEngines: { number: string; engine: string }[] = [];
  const revokedEngines: { number: string; engine: string }[] = [];
  for (const g of gateways) {
    const gateway = deps.gateways!.get(g.id);
    if (!gateway) continue;
    const identities = [{ uri: telUri(gateway.number), keys: await keysOf(telUri(gateway.number), periods, (p) => keys.get(telUri(gateway.number), p)) }];
    for (const r of gateway.revokedEngines) revokedEngines.push({ number: gateway.number, engine: r.id });
    for (const engine of gateway.engines) {
      try {
        const endpoint = engineTlsUri(gateway.number, engine.id);
        const entry: UpdateEntry = { ...common, endpoint, kind: 'engine', identities, channels: [] };
        sealed.push(sealEntry(engine.updateKey, binding(endpoint), entry, nonce()));
        endpoints.push({ id: endpoint, kind: 'engine', gateway: telUri(gateway.number), engine: engine.id });
        activeEngines.push({ number: gateway.number, engine: engine.id });
      } finally {
        zeroise(engine.updateKey);
      }
      report();
    }
  }
  const docs = opts.retired;
  const active = new Set(activeEngines.map((e) => e.engine));
  // Engines of earlier files that are gone now (their gateway was deleted) are blocked too.
  const seenGone = docs.flatMap((d) => (d.kind === 'engine' && !active.has(d.engine) ? [{ number: d.number, engine: d.engine }] : []));
  const blocked = blockedCredentials({
    users: generations,
    deleted: retiredGenerations(docs, generations),
    engines: [...revokedEngines, ...seenGone].filter((e) => !active.has(e.engine)),
  });
  const crsPart: CrsPart = {
    format: 'keyward-update',
    version: 1,
    account: crs.account,
    months,
    created: opts.created.toISOString(),
    endpoints,
    blocked,
    channels: features.channels ? (deps.channels?.crsView() ?? []) : [],
  };
  const counts = {
    endpoints: endpoints.length,
    users: generations.size,
    engines: activeEngines.length,
    blocked: blocked.length,
    peers: common.peers.length,
    revokedPeers: common.revokedPeers.length,
    channels: channels.length,
  };
  const recorded = new Map(docs.flatMap((d) => (d.kind === 'deleted' ? [[d.number, d.generation] as [string, number]] : [])));
  const unrecorded = Object.fromEntries([...retiredGenerations(docs, generations)].filter(([n, g]) => g > (recorded.get(n) ?? 0)));
  return { crs: crsPart, sealed, counts, activeEngines, listedUsers: Object.fromEntries(generations), unrecorded };
}

/** Both months' keys of `uri` in hex; a missing month is `E_NO_KEYS` (generate then runs ensureKeys). */
async function keysOf(uri: string, periods: Period[], get: (p: Period) => Promise<KeySetRecord | undefined>): Promise<Record<string, EntryKeys>> {
  const out: Record<string, EntryKeys> = {};
  for (const p of periods) {
    const k = await get(p);
    if (!k) throw new CommandError('E_NO_KEYS', `${uri} has no keys for ${p}; nothing was written`, { uri, period: p.toString() });
    out[p.toString()] = { ssk: hex(k.ssk), pvt: hex(k.pvt), rsk: hex(k.rsk) };
    zeroise(k.ssk, k.rsk);
  }
  return out;
}
