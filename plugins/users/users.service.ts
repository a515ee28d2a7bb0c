import { randomBytes } from 'node:crypto';
import { CommandError, type Collection, type HookRegistry, type IEventLog, type JsonObject, type Progress } from '../../src/kernel/index.js';
import { Period, hexToBytes, zeroise } from '../../src/crypto/index.js';
import { telUri, type IKeys, type KeySetRecord } from '../keys/tokens.js';
import { derivePuk } from './puk.js';
import {
  FirstGenerationHook,
  NumbersInUseHook,
  UserDetailsHook,
  UserLimitHook,
  UsersDeletedHook,
  userKeyOwner,
  type IUsers,
  type NumbersInUse,
  type UserDetails,
  type UserRecord,
  type UserSummary,
} from './tokens.js';
import { formatUserFile, parseUserFile, type ImportError } from './tsv.js';
import { checkNumber, checkText, fieldError, must, userFields, type UserFields } from './validation.js';

/** A record of the `users` collection (vault-encrypted at rest). */
export interface UserDoc {
  /** The mobile number, E.164: nedb's unique `_id` makes "one user per number" a storage rule. */
  _id: string;
  firstName: string;
  lastName: string;
  comment: string;
  lines: string[];
  compromised: boolean;
  compromisedAt?: string;
  /** Credential generation; absent in records made before generations existed = 1. */
  generation?: number;
  createdAt: string;
  /** 128-bit, hex. */
  updateKey: string;
  /** 128-bit, hex. */
  qrCodeKey: string;
}

export const USERS_COLLECTION = 'users';
/** 128-bit update and QR code keys (DESIGN §4; manual: "a random 128-bit key"). */
const SECRET_BYTES = 16;

/** What a long-running command gives the service. */
export interface RunContext {
  actor: string;
  signal: AbortSignal;
  progress(p: Progress): void;
}

export interface ServiceOptions {
  /** Whether the QR code key is shown (Settings → QR protection). */
  qrEncryption(): boolean;
}

/**
 * The users: an in-memory map (the list of 10,000 is read from it, not from disk) written
 * through to the `users` collection. Changes run one at a time; those touching several records
 * or the keys go through `IKeys.atomically`, so they happen completely or not at all.
 */
export class UsersService implements IUsers {
  private readonly users = new Map<string, UserDoc>();
  /** Every number held by a user (mobile or line) → the user's mobile. */
  private readonly numbers = new Map<string, string>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: Collection<UserDoc>,
    private readonly keys: IKeys,
    private readonly hooks: HookRegistry,
    private readonly log: IEventLog,
    private readonly opts: ServiceOptions,
  ) {}

  async load(): Promise<void> {
    this.users.clear();
    this.numbers.clear();
    for (const doc of await this.store.find({})) this.remember(doc);
  }

  // ------------------------------------------------------------------ IUsers

  /** Sorted by number, so the order does not depend on the history of the data. */
  list(): UserSummary[] {
    return [...this.users.values()].sort((a, b) => (a._id < b._id ? -1 : 1)).map(summary);
  }

  get(mobile: string): UserRecord | undefined {
    const doc = this.users.get(mobile);
    if (!doc) return undefined;
    const { updateKey, qrCodeKey, _id, ...rest } = doc;
    return { mobile: _id, ...rest, generation: generationOf(doc), lines: [...doc.lines], updateKey: hexToBytes(updateKey), qrCodeKey: hexToBytes(qrCodeKey) };
  }

  /** Answers {@link NumbersInUseHook} for the numbers users hold. */
  answerInUse(payload: NumbersInUse): void {
    for (const number of payload.numbers) {
      const holder = this.numbers.get(number);
      if (holder) payload.inUse.push({ number, by: holder === number ? `user ${holder}` : `a line of user ${holder}` });
    }
  }

  // ------------------------------------------------------------------ commands

  async userLimit(): Promise<number | null> {
    return (await this.hooks.run(UserLimitHook, { limit: null })).limit;
  }

  async add(args: { firstName?: unknown; lastName?: unknown; mobile?: unknown; comment?: unknown }, ctx: RunContext): Promise<UserSummary> {
    const fields = userFields(args);
    return this.serial(async () => {
      await this.checkLimit(1);
      await this.checkFree(fields.mobile, 'mobile');
      const sets = await this.keys.issue([this.keyRequest(fields.mobile)], this.periods(), { signal: ctx.signal });
      const doc = this.newDoc(fields, await this.firstGenerations([fields.mobile]));
      await this.commit(sets, async () => void (await this.store.insert(doc)));
      this.remember(doc);
      return summary(doc);
    });
  }

  async show(mobileArg: unknown): Promise<UserDetails> {
    const doc = this.find(mobileArg, 'mobile');
    const period = Period.of(new Date());
    const details: UserDetails = {
      ...summary(doc),
      puk: derivePuk(hexToBytes(doc.updateKey), period),
      period: period.toString(),
      keyPeriods: await this.keys.periods(telUri(doc._id)),
    };
    if (doc.compromisedAt) details.compromisedAt = doc.compromisedAt;
    if (this.opts.qrEncryption()) details.qrCodeKey = doc.qrCodeKey;
    return (await this.hooks.run(UserDetailsHook, { details })).details;
  }

  update(args: { mobile?: unknown; firstName?: unknown; lastName?: unknown; comment?: unknown }): Promise<UserSummary> {
    return this.serial(async () => {
      const doc = this.find(args.mobile, 'mobile');
      const next = { ...doc };
      for (const field of ['firstName', 'lastName', 'comment'] as const) {
        if (args[field] !== undefined) next[field] = must(checkText(args[field], field), field);
      }
      if (!next.firstName && !next.lastName) throw fieldError('firstName', 'a first or a last name is required');
      // One record: nedb appends one line, as every single-record write in Keyward.
      await this.store.update({ _id: doc._id }, next);
      this.users.set(doc._id, next);
      return summary(next);
    });
  }

  addLine(args: { mobile?: unknown; line?: unknown }, ctx: RunContext): Promise<UserSummary> {
    return this.serial(async () => {
      const doc = this.find(args.mobile, 'mobile');
      const line = must(checkNumber(args.line), 'line');
      await this.checkFree(line, 'line');
      const sets = await this.keys.issue([{ uri: telUri(line), owner: userKeyOwner(doc._id) }], this.periods(), { signal: ctx.signal });
      const next = { ...doc, lines: [...doc.lines, line] };
      await this.commit(sets, async () => void (await this.store.update({ _id: doc._id }, next)));
      this.remember(next);
      return summary(next);
    });
  }

  removeLine(args: { mobile?: unknown; line?: unknown }): Promise<UserSummary> {
    return this.serial(async () => {
      const doc = this.find(args.mobile, 'mobile');
      const line = must(checkNumber(args.line), 'line');
      if (!doc.lines.includes(line)) throw notFound('line', `${doc._id} has no additional line ${line}`);
      const next = { ...doc, lines: doc.lines.filter((l) => l !== line) };
      await this.keys.atomically([this.collection()], async (keys) => {
        await keys.removeUris([telUri(line)]);
        await this.store.update({ _id: doc._id }, next);
      });
      this.numbers.delete(line);
      this.users.set(doc._id, next);
      return summary(next);
    });
  }

  /** Check a user file against the manual's rules, the stored numbers and the user limit. Writes nothing. */
  async validateImport(fileName: unknown, contentBase64: unknown): Promise<{ ok: boolean; count: number; errors: ImportError[] }> {
    const { users, errors } = await this.checkFile(fileName, contentBase64);
    return { ok: errors.length === 0, count: users.length, errors };
  }

  /**
   * Import a user file as one unit: check everything, issue every key (progress, cancellable),
   * then store keys and users in one journaled write. A bad file is `E_IMPORT_INVALID` with every
   * problem in `details.errors` and nothing written.
   */
  importFile(fileName: unknown, contentBase64: unknown, ctx: RunContext): Promise<{ imported: number }> {
    return this.serial(async () => {
      const { users, errors } = await this.checkFile(fileName, contentBase64);
      if (errors.length) {
        throw new CommandError('E_IMPORT_INVALID', `${String(fileName)}: ${errors.length} problem(s) found; nothing was imported`, {
          errors: errors as unknown as JsonObject[],
        });
      }
      const periods = this.periods();
      const total = users.length * periods.length;
      const message = 'Generating keys';
      ctx.progress({ done: 0, total, message });
      const sets = await this.keys.issue(users.map((u) => this.keyRequest(u.mobile)), periods, {
        signal: ctx.signal,
        onProgress: (done) => ctx.progress({ done, total, message }),
      });
      if (ctx.signal.aborted) {
        zeroiseSets(sets);
        throw new CommandError('E_CANCELLED', 'the import was cancelled; nothing was imported');
      }
      const first = await this.firstGenerations(users.map((u) => u.mobile));
      const docs = users.map((u) => this.newDoc(u, first));
      ctx.progress({ done: 0, total: docs.length, message: 'Storing keys' });
      await this.commit(sets, async () => {
        ctx.progress({ done: 0, total: docs.length, message: 'Storing users' });
        await this.store.insert(docs);
      });
      for (const doc of docs) this.remember(doc);
      ctx.progress({ done: docs.length, total: docs.length, message: 'Imported' });
      return { imported: docs.length };
    });
  }

  /** The named users (all when `mobiles` is absent) as a user file; never any key. */
  exportFile(mobiles: unknown): { fileName: string; text: string } {
    const docs = mobiles === undefined ? [...this.users.values()] : this.findAll(mobiles);
    const rows = docs.map((d) => ({ firstName: d.firstName, lastName: d.lastName, mobile: d._id, comment: d.comment }));
    return { fileName: `users-${new Date().toISOString().slice(0, 10)}.txt`, text: formatUserFile(rows) };
  }

  /**
   * Compromise recovery: new update and QR code keys (the old update key can no longer open the
   * user's monthly updates, and the QR code key the device knew no longer opens a new letter),
   * marked compromised with the date; one event-log record per user.
   */
  destroyKeys(mobiles: unknown, ctx: RunContext): Promise<{ count: number }> {
    return this.serial(async () => {
      const docs = this.findAll(mobiles);
      const compromisedAt = new Date().toISOString();
      const next = docs.map((d) => ({ ...d, compromised: true, compromisedAt, generation: generationOf(d) + 1, updateKey: secretHex(), qrCodeKey: secretHex() }));
      await this.keys.atomically([this.collection()], async () => {
        await this.store.remove({ _id: { $in: docs.map((d) => d._id) } }, { multi: true });
        await this.store.insert(next);
      });
      for (const doc of next) this.users.set(doc._id, doc);
      await this.record(ctx, 'users.destroyKeys', next.map((d) => ({ target: d._id, details: { compromisedAt } })));
      return { count: next.length };
    });
  }

  /** Delete users and every key of their numbers; one event-log record per user. */
  delete(mobiles: unknown, ctx: RunContext): Promise<{ count: number }> {
    return this.serial(async () => {
      const docs = this.findAll(mobiles);
      await this.keys.atomically([this.collection()], async (keys) => {
        await keys.removeOwners(docs.map((d) => userKeyOwner(d._id)));
        await this.store.remove({ _id: { $in: docs.map((d) => d._id) } }, { multi: true });
      });
      for (const doc of docs) this.forget(doc);
      await this.hooks.run(UsersDeletedHook, { mobiles: docs.map((d) => d._id), generations: Object.fromEntries(docs.map((d) => [d._id, generationOf(d)])) });
      await this.record(ctx, 'users.delete', docs.map((d) => ({ target: d._id, details: { lines: d.lines.length } })));
      return { count: docs.length };
    });
  }

  // ------------------------------------------------------------------ helpers

  /** The current and the next month: what a new number gets keys for. */
  private periods(): Period[] {
    const current = Period.of(new Date());
    return [current, current.next()];
  }

  private keyRequest(mobile: string) {
    return { uri: telUri(mobile), owner: userKeyOwner(mobile) };
  }

  private collection() {
    return { name: USERS_COLLECTION, store: this.store };
  }

  /** Store `sets` and run `write` in one journaled unit (the in-memory map changes only after it succeeds). */
  private async commit(sets: KeySetRecord[], write: () => Promise<void>): Promise<void> {
    try {
      await this.keys.atomically([this.collection()], async (keys) => {
        await keys.put(sets);
        await write();
      });
    } finally {
      zeroiseSets(sets);
    }
  }

  /** The first credential generation of each new number (see {@link FirstGenerationHook}). */
  private async firstGenerations(numbers: string[]): Promise<Record<string, number>> {
    return (await this.hooks.run(FirstGenerationHook, { numbers, first: {} })).first;
  }

  private newDoc(f: UserFields, first: Record<string, number>): UserDoc {
    const generation = first[f.mobile] ?? 1;
    return {
      ...(generation > 1 ? { generation } : {}),
      _id: f.mobile,
      firstName: f.firstName,
      lastName: f.lastName,
      comment: f.comment,
      lines: [],
      compromised: false,
      createdAt: new Date().toISOString(),
      updateKey: secretHex(),
      qrCodeKey: secretHex(),
    };
  }

  private remember(doc: UserDoc): void {
    this.users.set(doc._id, doc);
    this.numbers.set(doc._id, doc._id);
    for (const line of doc.lines) this.numbers.set(line, doc._id);
  }

  private forget(doc: UserDoc): void {
    this.users.delete(doc._id);
    this.numbers.delete(doc._id);
    for (const line of doc.lines) this.numbers.delete(line);
  }

  private find(mobileArg: unknown, field: string): UserDoc {
    const mobile = checkNumber(mobileArg);
    const doc = mobile.ok ? this.users.get(mobile.value) : undefined;
    if (!doc) throw notFound(field, `no user has the number ${typeof mobileArg === 'string' ? mobileArg : ''}`.trim());
    return doc;
  }

  /** The users named by `mobiles` (a non-empty list); an unknown number fails naming it. */
  private findAll(mobiles: unknown): UserDoc[] {
    if (!Array.isArray(mobiles) || mobiles.length === 0) throw fieldError('mobiles', 'must be a non-empty list of numbers');
    const docs = new Map<string, UserDoc>();
    for (const m of mobiles) {
      const doc = this.find(m, 'mobiles');
      docs.set(doc._id, doc);
    }
    return [...docs.values()];
  }

  private async checkLimit(adding: number): Promise<void> {
    const over = await this.overLimit(adding);
    if (over) throw new CommandError('E_USER_LIMIT', over.reason, { limit: over.limit, users: this.users.size, adding });
  }

  /** Whether `adding` more users would pass the licence's user limit, and the message saying so. */
  private async overLimit(adding: number): Promise<{ limit: number; reason: string } | undefined> {
    const { limit, source } = await this.hooks.run(UserLimitHook, { limit: null });
    if (limit === null || this.users.size + adding <= limit) return undefined;
    const allows = source ? `${source}, so it allows ${limit} users` : `the licence allows ${limit} users`;
    const reason = `${allows}; there are ${this.users.size}, so ${adding} more would exceed it (Settings → New License to expand)`;
    return { limit, reason };
  }

  private async inUse(numbers: string[]): Promise<Map<string, string>> {
    const answer = await this.hooks.run(NumbersInUseHook, { numbers, inUse: [] });
    return new Map(answer.inUse.map((u) => [u.number, u.by]));
  }

  private async checkFree(number: string, field: 'mobile' | 'line'): Promise<void> {
    const by = (await this.inUse([number])).get(number);
    if (by) throw new CommandError('E_NUMBER_IN_USE', `${field}: ${number} is already in use by ${by}`, { field, reason: `in use by ${by}` });
  }

  private async checkFile(fileName: unknown, contentBase64: unknown) {
    if (typeof fileName !== 'string' || fileName === '') throw fieldError('fileName', 'is required');
    if (typeof contentBase64 !== 'string') throw fieldError('contentBase64', 'must be the file content in base64');
    const parsed = parseUserFile(fileName, Buffer.from(contentBase64, 'base64'));
    const taken = await this.inUse(parsed.users.map((u) => u.mobile));
    for (const u of parsed.users) {
      const by = taken.get(u.mobile);
      if (by) parsed.errors.push({ line: u.line, column: 3, field: 'mobile', reason: `${u.mobile} is already in use by ${by}` });
    }
    parsed.errors.sort((a, b) => a.line - b.line || (a.column ?? 0) - (b.column ?? 0));
    const over = await this.overLimit(parsed.users.length);
    if (over) parsed.errors.unshift({ line: 0, reason: over.reason });
    return parsed;
  }

  /** One event-log record per user (about 0.75 ms each: 10,000 take seconds, hence the progress). */
  private async record(ctx: RunContext, action: string, entries: { target: string; details: JsonObject }[]): Promise<void> {
    const message = 'Recording in the event log';
    try {
      for (const [i, e] of entries.entries()) {
        await this.log.record({ actor: ctx.actor, action, ...e });
        if ((i + 1) % 100 === 0 || i + 1 === entries.length) ctx.progress({ done: i + 1, total: entries.length, message });
      }
    } catch {
      throw new CommandError('E_AUDIT', `${action} was carried out but could not be recorded in the event log`);
    }
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

function summary(doc: UserDoc): UserSummary {
  return {
    mobile: doc._id,
    firstName: doc.firstName,
    lastName: doc.lastName,
    comment: doc.comment,
    lines: [...doc.lines],
    compromised: doc.compromised,
    generation: generationOf(doc),
    createdAt: doc.createdAt,
  };
}

function generationOf(doc: UserDoc): number {
  return doc.generation ?? 1;
}

function secretHex(): string {
  return randomBytes(SECRET_BYTES).toString('hex');
}

function notFound(field: string, message: string): CommandError {
  return new CommandError('E_NOT_FOUND', `${field}: ${message}`, { field, reason: 'not found' });
}

function zeroiseSets(sets: KeySetRecord[]): void {
  for (const s of sets) zeroise(s.ssk, s.rsk);
}
