import { randomBytes } from 'node:crypto';
import { CommandError, type Collection, type HookRegistry } from '../../src/kernel/index.js';
import { Period, hexToBytes, zeroise } from '../../src/crypto/index.js';
import { telUri, type IKeys, type KeySetRecord } from '../keys/tokens.js';
// The users plugin's rules, shared through its tokens, so a gateway's number and name obey the same ones.
import { NumbersInUseHook, checkName, checkNumber, type NumbersInUse } from '../users/tokens.js';
import {
  GatewaysDeletedHook,
  MAX_ENGINES,
  MIN_ENGINES,
  gatewayKeyOwner,
  type GatewayRecord,
  type GatewaySummary,
  type IGateways,
  type RevokedEngine,
} from './tokens.js';

/** An engine as stored: its update key in hex (the collection is vault-encrypted at rest). */
export interface EngineDoc {
  id: string;
  createdAt: string;
  updateKey: string;
}

/** A record of the `gateways` collection. */
export interface GatewayDoc {
  /** The gateway id (32 hex digits). */
  _id: string;
  name: string;
  number: string;
  engines: EngineDoc[];
  revokedEngines: RevokedEngine[];
  createdAt: string;
}

export const GATEWAYS_COLLECTION = 'gateways';
/** 128-bit ids and update keys (manual: a random 128-bit key, as for users). */
const SECRET_BYTES = 16;

/** The result of `gateways.edit`: the gateway and which engines were added or revoked. */
export interface EditResult {
  gateway: GatewaySummary;
  added: string[];
  revoked: string[];
}

/**
 * The gateways: an in-memory map written through to the `gateways` collection. Changes run one
 * at a time; those touching keys go through `IKeys.atomically`, so they happen completely or not at all.
 */
export class GatewaysService implements IGateways {
  private readonly gateways = new Map<string, GatewayDoc>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: Collection<GatewayDoc>,
    private readonly keys: IKeys,
    private readonly hooks: HookRegistry,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async load(): Promise<void> {
    this.gateways.clear();
    for (const doc of await this.store.find({})) this.gateways.set(doc._id, doc);
  }

  // ------------------------------------------------------------------ IGateways

  list(): GatewaySummary[] {
    return [...this.gateways.values()].sort((a, b) => (a.number < b.number ? -1 : 1)).map(summary);
  }

  get(idOrNumber: string): GatewayRecord | undefined {
    const doc = this.lookup(idOrNumber);
    if (!doc) return undefined;
    return { ...summary(doc), engines: doc.engines.map((e) => ({ id: e.id, createdAt: e.createdAt, updateKey: hexToBytes(e.updateKey) })) };
  }

  /** Answers {@link NumbersInUseHook} for the gateways' numbers. */
  answerInUse(payload: NumbersInUse): void {
    const held = new Map([...this.gateways.values()].map((g) => [g.number, g]));
    for (const number of payload.numbers) {
      const g = held.get(number);
      if (g) payload.inUse.push({ number, by: `gateway ${g.name}` });
    }
  }

  // ------------------------------------------------------------------ commands

  /** Add a gateway with its engines; its number gets keys for this month and the next. */
  add(args: { name?: unknown; number?: unknown; engines?: unknown }, signal?: AbortSignal): Promise<GatewaySummary> {
    const name = gatewayName(args.name);
    const number = must('number', checkNumber(args.number));
    const count = engineCount(args.engines);
    return this.serial(async () => {
      const by = (await this.hooks.run(NumbersInUseHook, { numbers: [number], inUse: [] })).inUse[0]?.by;
      if (by) throw new CommandError('E_NUMBER_IN_USE', `number: ${number} is already in use by ${by}`, { field: 'number', reason: `in use by ${by}` });
      const id = randomHex();
      const period = Period.of(this.now());
      const sets = await this.keys.issue([{ uri: telUri(number), owner: gatewayKeyOwner(id) }], [period, period.next()], { signal });
      const createdAt = this.now().toISOString();
      const doc: GatewayDoc = { _id: id, name, number, engines: newEngines(count, createdAt), revokedEngines: [], createdAt };
      try {
        await this.keys.atomically([this.collection()], async (keys) => {
          await keys.put(sets);
          await this.store.insert(doc);
        });
      } finally {
        zeroiseSets(sets);
      }
      this.gateways.set(id, doc);
      return summary(doc);
    });
  }

  /**
   * Change the name or the number of engines, or re-initiate chosen engines. Added engines get new
   * credentials; removed ones (the most recently added first) are kept as revoked for the next
   * update; a replaced engine (`replace`: engine ids) is revoked and a new one with new
   * credentials takes its place, so one compromised engine is dealt with without the others.
   */
  edit(args: { id?: unknown; name?: unknown; engines?: unknown; replace?: unknown }): Promise<EditResult> {
    return this.serial(async () => {
      const doc = this.find(args.id, 'id');
      const name = args.name === undefined ? doc.name : gatewayName(args.name);
      const count = args.engines === undefined ? doc.engines.length : engineCount(args.engines);
      const replace = engineIds(args.replace, doc);
      const at = this.now().toISOString();
      const removed = doc.engines.slice(count);
      const renewed = doc.engines.slice(0, count).map((e) => (replace.has(e.id) ? { old: e, now: newEngines(1, at)[0]! } : { now: e }));
      const replaced = renewed.filter((r) => r.old);
      const fresh = newEngines(count - renewed.length, at);
      const revoked = [...replaced.map((r) => r.old!), ...removed];
      const added = [...replaced.map((r) => r.now), ...fresh];
      const next: GatewayDoc = {
        ...doc,
        name,
        engines: [...renewed.map((r) => r.now), ...fresh],
        revokedEngines: [...doc.revokedEngines, ...revoked.map((e) => ({ id: e.id, revokedAt: at }))],
      };
      await this.store.update({ _id: doc._id }, next);
      this.gateways.set(doc._id, next);
      return { gateway: summary(next), added: added.map((e) => e.id), revoked: revoked.map((e) => e.id) };
    });
  }

  /** Delete gateways and every key of their numbers. */
  delete(ids: unknown): Promise<{ deleted: GatewaySummary[] }> {
    return this.serial(async () => {
      const docs = this.findAll(ids);
      await this.keys.atomically([this.collection()], async (keys) => {
        await keys.removeOwners(docs.map((d) => gatewayKeyOwner(d._id)));
        await this.store.remove({ _id: { $in: docs.map((d) => d._id) } }, { multi: true });
      });
      for (const d of docs) this.gateways.delete(d._id);
      const deleted = docs.map(summary);
      await this.hooks.run(GatewaysDeletedHook, { gateways: deleted });
      return { deleted };
    });
  }

  /** The gateways named by `ids` (ids or numbers, a non-empty list); an unknown one fails naming it. */
  findAll(ids: unknown): GatewayDoc[] {
    if (!Array.isArray(ids) || ids.length === 0) throw fieldError('ids', 'must be a non-empty list of gateway ids or numbers');
    return [...new Map(ids.map((ref) => this.find(ref, 'ids')).map((d) => [d._id, d])).values()];
  }

  // ------------------------------------------------------------------ helpers

  private lookup(ref: unknown): GatewayDoc | undefined {
    if (typeof ref !== 'string') return undefined;
    const byId = this.gateways.get(ref);
    if (byId) return byId;
    const n = checkNumber(ref);
    return n.ok ? [...this.gateways.values()].find((g) => g.number === n.value) : undefined;
  }

  private find(ref: unknown, field: string): GatewayDoc {
    const doc = this.lookup(ref);
    if (!doc) throw new CommandError('E_NOT_FOUND', `${field}: no gateway has the id or number ${typeof ref === 'string' ? ref : String(ref)}`, { field, reason: 'not found' });
    return doc;
  }

  private collection() {
    return { name: GATEWAYS_COLLECTION, store: this.store };
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

/** A gateway's name: required, the users' character rules for names. */
function gatewayName(value: unknown): string {
  const name = must('name', checkName(value));
  if (!name) throw fieldError('name', 'is required');
  return name;
}

/** The number of crypto engines: an integer from {@link MIN_ENGINES} to {@link MAX_ENGINES}. */
function engineCount(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) throw fieldError('engines', 'must be a whole number of crypto engines');
  if (value < MIN_ENGINES) {
    throw new CommandError('E_TOO_FEW_ENGINES', `engines: it is not possible to assign less than ${numberWord(MIN_ENGINES)} Crypto Engines to a single gateway`, {
      field: 'engines',
      reason: `at least ${MIN_ENGINES}`,
    });
  }
  if (value > MAX_ENGINES) throw fieldError('engines', `must be at most ${MAX_ENGINES}`);
  return value;
}

function numberWord(n: number): string {
  return n === 3 ? 'three' : String(n);
}

function must<T>(field: string, checked: { ok: true; value: T } | { ok: false; reason: string }): T {
  if (!checked.ok) throw fieldError(field, checked.reason);
  return checked.value;
}

/** A bad argument, as the users plugin reports one: the message names the field and the reason. */
export function fieldError(field: string, reason: string): CommandError {
  return new CommandError('E_INVALID_FIELD', `${field}: ${reason}`, { field, reason });
}

/** The engine ids of `doc` named by `value` (absent: none); an unknown id fails naming it. */
function engineIds(value: unknown, doc: GatewayDoc): Set<string> {
  if (value === undefined) return new Set();
  if (!Array.isArray(value)) throw fieldError('replace', 'must be a list of crypto engine ids');
  const known = new Set(doc.engines.map((e) => e.id));
  for (const id of value) {
    if (typeof id !== 'string' || !known.has(id)) throw fieldError('replace', `${String(id)} is not a crypto engine of gateway ${doc.number}`);
  }
  return new Set(value as string[]);
}

function newEngines(count: number, createdAt: string): EngineDoc[] {
  return Array.from({ length: count }, () => ({ id: randomHex(), createdAt, updateKey: randomHex() }));
}

function summary(doc: GatewayDoc): GatewaySummary {
  return {
    id: doc._id,
    name: doc.name,
    number: doc.number,
    engines: doc.engines.map((e) => ({ id: e.id, createdAt: e.createdAt })),
    revokedEngines: doc.revokedEngines.map((r) => ({ ...r })),
    createdAt: doc.createdAt,
  };
}

function randomHex(): string {
  return randomBytes(SECRET_BYTES).toString('hex');
}

function zeroiseSets(sets: KeySetRecord[]): void {
  for (const s of sets) zeroise(s.ssk, s.rsk);
}
