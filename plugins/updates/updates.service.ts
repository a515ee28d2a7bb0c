import { CommandError, type Collection, type Progress } from '../../src/kernel/index.js';
import { Period, zeroise } from '../../src/crypto/index.js';
import type { IChannels } from '../channels/tokens.js';
import type { BurnResult, IDevices } from '../devices/tokens.js';
import type { IDomain } from '../domain/tokens.js';
import type { IDomains } from '../domains/tokens.js';
import { gatewayKeyOwner, type IGateways } from '../gateways/tokens.js';
import { telUri, type IKeys, type KeyRequest, type KeySetRecord } from '../keys/tokens.js';
import type { ISettings } from '../settings/tokens.js';
import { userKeyOwner, type IUsers } from '../users/tokens.js';
import { deadlineFor } from './calendar.js';
import { buildUpdate, cancelled, retiredGenerations } from './entries.js';
import { encodeUpdateFile } from './format.js';
import { FILE_PREFIX, checkFolder, stampOf, writeInto } from './output.js';
import type { GenerateResult, UpdateSummary } from './tokens.js';

/** Records of the `updates` collection: what later files must still block, and the last generation. */
export type UpdatesDoc =
  | { _id: string; kind: 'deleted'; number: string; generation: number; at: string }
  | { _id: string; kind: 'engine'; number: string; engine: string }
  | { _id: 'last'; kind: 'last'; summary: UpdateSummary }
  /** The users the last file listed, number → generation: a user gone since is blocked even if its deletion was never recorded. */
  | { _id: 'listed'; kind: 'listed'; users: Record<string, number> };

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

  /**
   * A deleted user's number, given to someone again, starts above every generation it had — as
   * recorded at deletion, or as the last file listed it.
   */
  async firstGenerations(payload: { numbers: string[]; first: Record<string, number> }): Promise<void> {
    const retired = retiredGenerations((await this.store.find({ kind: { $in: ['deleted', 'listed'] } })) as UpdatesDoc[]);
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
      await this.rememberDeleted(Object.keys(built.unrecorded), built.unrecorded);
      await this.remember(built.activeEngines, built.listedUsers, summary);
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
    return buildUpdate(this.deps, periods, ctx, { retired: (await this.store.find({})) as UpdatesDoc[], created: this.now() });
  }

  /**
   * Engines to block once out of service: those a file listed, and every engine of a deleted
   * gateway (`GatewaysDeletedHook`), listed or not.
   */
  async rememberEngines(engines: { number: string; engine: string }[]): Promise<void> {
    for (const e of engines) await this.store.update({ _id: `engine:${e.engine}` }, { _id: `engine:${e.engine}`, kind: 'engine', ...e }, { upsert: true });
  }

  /** After a file is out: its engines (so a later deletion of their gateway blocks them) and its summary. */
  private async remember(engines: { number: string; engine: string }[], users: Record<string, number>, summary: UpdateSummary): Promise<void> {
    await this.rememberEngines(engines);
    await this.store.update({ _id: 'listed' }, { _id: 'listed', kind: 'listed', users }, { upsert: true });
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
