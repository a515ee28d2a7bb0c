import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { CommandError, writeFileAtomic, type Collection, type Progress } from '../../src/kernel/index.js';
import { Period, zeroise } from '../../src/crypto/index.js';
import type { Channel, IChannels } from '../channels/tokens.js';
import type { BurnResult, IDevices } from '../devices/tokens.js';
import type { IDomain } from '../domain/tokens.js';
import type { IDomains } from '../domains/tokens.js';
import { engineTlsUri, gatewayKeyOwner, type IGateways } from '../gateways/tokens.js';
import { telUri, type IKeys, type KeyRequest, type KeySetRecord } from '../keys/tokens.js';
import type { ISettings } from '../settings/tokens.js';
import { derivePuk, userKeyOwner, type IUsers } from '../users/tokens.js';
import { blockedCredentials } from './blocked.js';
import { deadlineFor } from './calendar.js';
import { NONCE_BYTES, encodeUpdateFile, sealEntry } from './format.js';
import type { GenerateResult, UpdateSummary } from './tokens.js';
import type { CrsEndpoint, CrsPart, EntryKeys, UpdateEntry } from './types.js';

/** Records of the `updates` collection: what later files must still block, and the last generation. */
export type UpdatesDoc =
  | { _id: string; kind: 'deleted'; number: string; generation: number; at: string }
  | { _id: string; kind: 'engine'; number: string; engine: string }
  | { _id: 'last'; kind: 'last'; summary: UpdateSummary };

export const UPDATES_COLLECTION = 'updates';

export interface UpdatesDeps {
  users: IUsers;
  keys: IKeys;
  domain: IDomain;
  settings: ISettings;
  channels?: IChannels;
  gateways?: IGateways;
  domains?: IDomains;
  devices?: IDevices;
}

export interface RunContext {
  signal: AbortSignal;
  progress(p: Progress): void;
}

/** Where the file goes: a folder (CLI `--out`) or the burner (a disc, or the burn folder). */
export type Target = { out: string } | { burn: true };

const FILE_PREFIX = 'update-';
const hex = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

/** The two months a file made in `month` covers: it and the next. */
export function monthsOf(month: Period): [Period, Period] {
  return [month, month.next()];
}

/** Writes the monthly update file; one generation at a time. */
export class UpdatesService {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: Collection<UpdatesDoc>,
    private readonly deps: UpdatesDeps,
    private readonly now: () => Date = () => new Date(),
  ) {}

  // ------------------------------------------------------------------ hooks

  /** Deleted users' credentials stay blocked in every later file. */
  async rememberDeleted(mobiles: string[], generations: Record<string, number> = {}): Promise<void> {
    const at = this.now().toISOString();
    for (const number of mobiles) {
      const _id = `deleted:${number}`;
      const old = (await this.store.findOne({ _id })) as Extract<UpdatesDoc, { kind: 'deleted' }> | null;
      const generation = Math.max(generations[number] ?? 1, old?.generation ?? 0);
      await this.store.update({ _id }, { _id, kind: 'deleted', number, generation, at }, { upsert: true });
    }
  }

  /** A deleted user's number, given to someone again, starts above every generation it had. */
  async firstGenerations(payload: { numbers: string[]; first: Record<string, number> }): Promise<void> {
    const docs = (await this.store.find({ kind: 'deleted' })) as Extract<UpdatesDoc, { kind: 'deleted' }>[];
    const retired = new Map(docs.map((d) => [d.number, d.generation]));
    for (const n of payload.numbers) {
      const g = retired.get(n);
      if (g !== undefined) payload.first[n] = Math.max(payload.first[n] ?? 1, g + 1);
    }
  }

  // ------------------------------------------------------------------ commands

  async last(): Promise<UpdateSummary | undefined> {
    const doc = (await this.store.findOne({ _id: 'last' })) as Extract<UpdatesDoc, { kind: 'last' }> | null;
    return doc?.summary;
  }

  /**
   * Make the file for `month` and the next: first every missing key of both months (issued over
   * the worker pool, stored in one journaled write), then one sealed entry per endpoint, then the
   * file, written to a temporary name and renamed (or burned and verified).
   */
  generate(month: Period, target: Target, ctx: RunContext): Promise<GenerateResult> {
    return this.serial(async () => {
      const periods = monthsOf(month);
      if ('out' in target) await checkFolder(target.out);
      if ('burn' in target) await this.burner();
      // Keys first, all of them: the entries are built only from a complete pair of months. Asking
      // the key store about each of 10,000 numbers costs more than a build that stops at the first
      // missing key, so the common case (every key there) is tried as it is.
      let keysMade = 0;
      let built = await this.build(periods, ctx).catch((err: unknown) => {
        if (err instanceof CommandError && err.code === 'E_NO_KEYS') return undefined;
        throw err;
      });
      if (!built) {
        try {
          keysMade = await this.ensureKeys(periods, ctx);
        } catch (err) {
          // Someone (users.add) stored keys of the same month in between: what is missing now is less.
          if (!(err instanceof CommandError && err.code === 'E_KEYS_EXIST')) throw err;
          keysMade = await this.ensureKeys(periods, ctx);
        }
        built = await this.build(periods, ctx);
      }
      const crs = this.deps.settings.crs();
      const bytes = encodeUpdateFile(built.crs, built.sealed, crs.secret);
      const created = this.now();
      const fileName = `${FILE_PREFIX}${periods[0]}_${stampOf(created)}.kwu`;
      let where: { file: string } | { burn: BurnResult & { volumeLabel: string } };
      if ('out' in target) {
        where = { file: await writeInto(target.out, fileName, bytes) };
      } else {
        const volumeLabel = `KW_UPDATE_${periods[0]}`;
        const result = await (await this.burner()).burn([{ name: fileName, data: bytes }], { volumeLabel });
        where = { burn: { ...result, volumeLabel } };
      }
      const summary: UpdateSummary = {
        fileName,
        created: created.toISOString(),
        months: periods.map(String),
        deadline: { month: periods[1].toString(), sendBefore: deadlineFor(periods[1]) },
        bytes: bytes.length,
        keysMade,
        ...built.counts,
      };
      await this.remember(built.activeEngines, summary);
      return { ...summary, ...where };
    });
  }

  // ------------------------------------------------------------------ helpers

  /** Issue what is missing of both months; returns how many key sets were made. */
  private async ensureKeys(periods: Period[], ctx: RunContext): Promise<number> {
    const requests: KeyRequest[] = [];
    for (const u of this.deps.users.list()) for (const n of [u.mobile, ...u.lines]) requests.push({ uri: telUri(n), owner: userKeyOwner(u.mobile) });
    for (const g of this.deps.gateways?.list() ?? []) requests.push({ uri: telUri(g.number), owner: gatewayKeyOwner(g.id) });
    // Ask IKeys.issue only about what is missing, grouped by the months missing: its check of
    // existing keys costs time in proportion to the keys that exist among those asked about.
    const groups = new Map<string, KeyRequest[]>();
    const held = await Promise.all(requests.map((r) => this.deps.keys.periods(r.uri)));
    for (const [i, r] of requests.entries()) {
      const have = new Set(held[i]);
      const missing = periods.filter((p) => !have.has(p.toString())).join(',');
      if (!missing) continue;
      const group = groups.get(missing);
      if (group) group.push(r);
      else groups.set(missing, [r]);
    }
    const total = [...groups].reduce((n, [months, rs]) => n + rs.length * months.split(',').length, 0);
    let before = 0;
    const sets: KeySetRecord[] = [];
    try {
      for (const [months, group] of groups) {
        ctx.progress({ done: before, total, message: 'Generating keys' });
        sets.push(...(await this.deps.keys.issue(group, months.split(',').map((m) => Period.parse(m)), {
          signal: ctx.signal,
          onProgress: (done) => ctx.progress({ done: before + done, total, message: 'Generating keys' }),
        })));
        before = sets.length;
      }
    } catch (err) {
      for (const s of sets) zeroise(s.ssk, s.rsk);
      throw err;
    }
    try {
      if (ctx.signal.aborted) throw cancelled();
      if (sets.length) {
        await this.deps.keys.atomically([], async (keys) => {
          await keys.put(sets);
          // Inside the journaled write: a crash from here on is rolled back at the next start.
          ctx.progress({ done: sets.length, total: sets.length, message: 'Storing keys' });
        });
      }
    } finally {
      for (const s of sets) zeroise(s.ssk, s.rsk);
    }
    let made = sets.length;
    if (this.deps.channels && this.deps.settings.features().channels) made += await this.deps.channels.issueKeys(periods);
    return made;
  }

  private async build(periods: Period[], ctx: RunContext) {
    const { users, keys, domain, settings } = this.deps;
    const months = periods.map(String);
    const crs = settings.crs();
    const features = settings.features();
    const binding = (endpoint: string) => ({ account: crs.account, months, endpoint });
    const { kpak, Z } = domain.publicKeys();
    const connected = (await this.deps.domains?.peers()) ?? [];
    const gone = this.deps.domains ? (await this.deps.domains.changesSince(new Date(0))).deleted : [];
    const connectedPrints = new Set(connected.map((p) => p.fingerprint));
    const channels: Channel[] = features.channels ? (this.deps.channels?.list() ?? []) : [];
    const channelKeys = new Map<string, Record<string, EntryKeys>>();
    // Each user's channels, found once: a channel may have thousands of members.
    const channelsOf = new Map<string, Channel[]>();
    for (const c of channels) for (const m of c.members) channelsOf.set(m, [...(channelsOf.get(m) ?? []), c]);
    for (const c of channels) channelKeys.set(c.id, await this.keysOf(`keyward:channel:${c.id}`, periods, (p) => this.deps.channels!.keys(c.id, p)));
    const common = {
      format: 'keyward-update-entry' as const,
      version: 1 as const,
      months,
      securityDomain: domain.securityDomain,
      crs: { address: crs.address, account: crs.account },
      kms: { kpak: hex(kpak), z: hex(Z) },
      peers: connected.map((p) => ({ securityDomain: p.securityDomain, id: p.id, fingerprint: p.fingerprint, kpak: hex(p.kpak), z: hex(p.Z) })),
      revokedPeers: gone.filter((p) => !connectedPrints.has(p.fingerprint)).map((p) => ({ securityDomain: p.securityDomain, id: p.id, fingerprint: p.fingerprint })),
      settings: { ...features } as unknown as Record<string, unknown>,
    };
    const endpoints: CrsEndpoint[] = [];
    const sealed: Buffer[] = [];
    const summaries = users.list();
    const gateways = this.deps.gateways?.list() ?? [];
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
        for (const n of [user.mobile, ...user.lines]) identities.push({ uri: telUri(n), keys: await this.keysOf(telUri(n), periods, (p) => keys.get(telUri(n), p)) });
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
      const gateway = this.deps.gateways!.get(g.id);
      if (!gateway) continue;
      const identities = [{ uri: telUri(gateway.number), keys: await this.keysOf(telUri(gateway.number), periods, (p) => keys.get(telUri(gateway.number), p)) }];
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
    const docs = (await this.store.find({})) as UpdatesDoc[];
    const active = new Set(activeEngines.map((e) => e.engine));
    // Engines of earlier files that are gone now (their gateway was deleted) are blocked too.
    const seenGone = docs.flatMap((d) => (d.kind === 'engine' && !active.has(d.engine) ? [{ number: d.number, engine: d.engine }] : []));
    const blocked = blockedCredentials({
      users: generations,
      deleted: new Map(docs.flatMap((d) => (d.kind === 'deleted' ? [[d.number, d.generation] as [string, number]] : []))),
      engines: [...revokedEngines, ...seenGone].filter((e) => !active.has(e.engine)),
    });
    const crsPart: CrsPart = {
      format: 'keyward-update',
      version: 1,
      account: crs.account,
      months,
      created: this.now().toISOString(),
      endpoints,
      blocked,
      channels: features.channels ? (this.deps.channels?.crsView() ?? []) : [],
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
    return { crs: crsPart, sealed, counts, activeEngines };
  }

  /** Both months' keys of `uri` in hex; a missing month is `E_NO_KEYS` (generate then runs ensureKeys). */
  private async keysOf(uri: string, periods: Period[], get: (p: Period) => Promise<KeySetRecord | undefined>): Promise<Record<string, EntryKeys>> {
    const out: Record<string, EntryKeys> = {};
    for (const p of periods) {
      const k = await get(p);
      if (!k) throw new CommandError('E_NO_KEYS', `${uri} has no keys for ${p}; nothing was written`, { uri, period: p.toString() });
      out[p.toString()] = { ssk: hex(k.ssk), pvt: hex(k.pvt), rsk: hex(k.rsk) };
      zeroise(k.ssk, k.rsk);
    }
    return out;
  }

  /** After a file is out: its engines (so a later deletion of their gateway blocks them) and its summary. */
  private async remember(engines: { number: string; engine: string }[], summary: UpdateSummary): Promise<void> {
    for (const e of engines) await this.store.update({ _id: `engine:${e.engine}` }, { _id: `engine:${e.engine}`, kind: 'engine', ...e }, { upsert: true });
    await this.store.update({ _id: 'last' }, { _id: 'last', kind: 'last', summary }, { upsert: true });
  }

  private async burner(): Promise<IDevices> {
    const devices = this.deps.devices;
    if (!devices) throw new CommandError('E_NO_DEVICES', 'No devices plugin is active in this deployment (see keyward.config.json)');
    if (!(await devices.status()).burner) throw new CommandError('E_NO_BURNER', 'No disc burner is available');
    return devices;
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

function cancelled(): CommandError {
  return new CommandError('E_CANCELLED', 'the update was cancelled; no file was written and no key was stored');
}

/** 20261202T101500123: to the millisecond, so every file made has its own name. */
function stampOf(d: Date): string {
  return d.toISOString().replace(/[-:.Z]/g, '');
}

async function checkFolder(dir: string): Promise<void> {
  const st = await fs.stat(dir).catch(() => undefined);
  if (!st?.isDirectory()) throw new CommandError('E_INVALID_ARGS', `out: ${dir} is not a folder`, { field: 'out' });
}

/**
 * Write the file under a temporary name and rename it (writeFileAtomic), never replacing a file;
 * temporary files a killed run left behind are removed first.
 */
async function writeInto(dir: string, name: string, bytes: Uint8Array): Promise<string> {
  for (const f of await fs.readdir(dir)) if (f.startsWith(`.${FILE_PREFIX}`) && f.endsWith('.tmp')) await fs.rm(path.join(dir, f), { force: true });
  const file = path.join(dir, name);
  try {
    await writeFileAtomic(file, bytes, { exclusive: true, mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new CommandError('E_EXISTS', `${file} exists already; nothing was written`, { file });
    throw err;
  }
  return file;
}
