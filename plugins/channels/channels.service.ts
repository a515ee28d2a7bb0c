import { randomBytes } from 'node:crypto';
import { CommandError, type Collection } from '../../src/kernel/index.js';
import { Period, zeroise } from '../../src/crypto/index.js';
import type { IKeys, KeySetRecord } from '../keys/tokens.js';
import { checkName, type IUsers } from '../users/tokens.js';
import { MAX_CHANNELS, channelKeyOwner, channelKeyUri, type Channel, type CrsChannel, type IChannels } from './tokens.js';

/** A record of the `channels` collection (vault-encrypted at rest). */
export interface ChannelDoc {
  /** The channel id (32 hex digits). */
  _id: string;
  name: string;
  members: string[];
  createdAt: string;
}

export const CHANNELS_COLLECTION = 'channels';
/** 128-bit channel identifiers (issue 6: "random identifier (128-bit, from a CSPRNG)"). */
const ID_BYTES = 16;
const ID_FORM = /^[0-9a-f]{32}$/;

/** Membership changes: `members` replaces the list; `add` and `remove` change it. */
export interface MembershipChange {
  id?: unknown;
  members?: unknown;
  add?: unknown;
  remove?: unknown;
}

/** `channels.setMembers`' result: the channel and who actually changed. */
export interface MembershipResult {
  channel: Channel;
  added: string[];
  removed: string[];
}

/**
 * The channels: an in-memory map written through to the `channels` collection. Changes run one
 * at a time; those touching keys go through `IKeys.atomically` (all or nothing).
 */
export class ChannelsService implements IChannels {
  private readonly channels = new Map<string, ChannelDoc>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: Collection<ChannelDoc>,
    private readonly keysStore: IKeys,
    private readonly users: IUsers,
  ) {}

  /**
   * Read the channels. Members that are no longer users (a crash between a user's deletion and
   * {@link dropUsers}) are dropped here, so a number re-used later never inherits a channel.
   */
  async load(): Promise<void> {
    this.channels.clear();
    const known = this.userNumbers();
    for (const doc of await this.store.find({})) {
      const members = doc.members.filter((m) => known.has(m));
      const kept = members.length === doc.members.length ? doc : { ...doc, members };
      if (kept !== doc) await this.store.update({ _id: doc._id }, kept);
      this.channels.set(doc._id, kept);
    }
  }

  // ------------------------------------------------------------------ IChannels

  list(): Channel[] {
    return [...this.channels.values()].map(channel).sort(byName);
  }

  channelsOf(mobile: string): Channel[] {
    return this.list().filter((c) => c.members.includes(mobile));
  }

  crsView(): CrsChannel[] {
    return this.list().map((c) => ({ id: c.id, members: c.members }));
  }

  keys(id: string, period: Period): Promise<KeySetRecord | undefined> {
    return this.keysStore.get(channelKeyUri(id), period);
  }

  issueKeys(periods: Period[]): Promise<number> {
    return this.serial(async () => {
      const requests = [...this.channels.keys()].map(keyRequest);
      const sets = await this.keysStore.issue(requests, periods);
      await this.commit(sets, async () => undefined);
      return sets.length;
    });
  }

  // ------------------------------------------------------------------ commands

  /** A new channel with keys for this month and the next; the 51st is refused. */
  add(nameArg: unknown, signal?: AbortSignal): Promise<Channel> {
    return this.serial(async () => {
      const name = this.freeName(nameArg);
      if (this.channels.size >= MAX_CHANNELS) {
        throw new CommandError('E_CHANNEL_LIMIT', `at most ${MAX_CHANNELS} channels can be added; delete one before adding "${name}"`, {
          limit: MAX_CHANNELS,
        });
      }
      const doc: ChannelDoc = { _id: this.newId(), name, members: [], createdAt: new Date().toISOString() };
      const sets = await this.keysStore.issue([keyRequest(doc._id)], currentAndNext(), { signal });
      await this.commit(sets, async () => void (await this.store.insert(doc)));
      this.channels.set(doc._id, doc);
      return channel(doc);
    });
  }

  /** The channel named by `id` or, failing that, by `name` (either spelling of the name's case). */
  find(args: { id?: unknown; name?: unknown }): Channel {
    return channel(this.findDoc(args));
  }

  /** Months (`YYYY-MM`) that have keys for the channel. */
  keyPeriods(id: string): Promise<string[]> {
    return this.keysStore.periods(channelKeyUri(id));
  }

  /**
   * Change the members: `members` (the whole list) or `add`/`remove`. Every number must be an
   * existing user's; one unknown number refuses the change and names it, with nothing changed.
   */
  setMembers(change: MembershipChange): Promise<MembershipResult> {
    return this.serial(async () => {
      const doc = this.findDoc({ id: change.id });
      const known = this.userNumbers();
      const current = new Set(doc.members);
      let next: Set<string>;
      if (change.members !== undefined) {
        if (change.add !== undefined || change.remove !== undefined) {
          throw fieldError('members', 'give either the whole list (members) or the changes (add, remove), not both');
        }
        next = new Set(numbers(change.members, 'members', known));
      } else {
        const add = change.add === undefined ? [] : numbers(change.add, 'add', known);
        const remove = change.remove === undefined ? [] : numbers(change.remove, 'remove');
        if (!add.length && !remove.length) throw fieldError('add', 'name at least one number to add or remove');
        const both = add.find((m) => remove.includes(m));
        if (both) throw fieldError('remove', `${both} is both added and removed`);
        next = new Set(current);
        for (const m of add) next.add(m);
        for (const m of remove) next.delete(m);
      }
      const added = [...next].filter((m) => !current.has(m)).sort();
      const removed = [...current].filter((m) => !next.has(m)).sort();
      const updated = { ...doc, members: [...next].sort() };
      if (added.length || removed.length) await this.store.update({ _id: doc._id }, updated);
      this.channels.set(doc._id, updated);
      return { channel: channel(updated), added, removed };
    });
  }

  /** Delete the channel and all its keys (conversations on devices are not touched). */
  delete(idArg: unknown): Promise<Channel> {
    return this.serial(async () => {
      const doc = this.findDoc({ id: idArg });
      await this.keysStore.atomically([this.collection()], async (keys) => {
        await keys.removeOwners([channelKeyOwner(doc._id)]);
        await this.store.remove({ _id: doc._id }, {});
      });
      this.channels.delete(doc._id);
      return channel(doc);
    });
  }

  /** Answers the users plugin's `users.deleted` hook: deleted users leave every channel. */
  dropUsers(mobiles: string[]): Promise<void> {
    const gone = new Set(mobiles);
    return this.serial(async () => {
      for (const doc of [...this.channels.values()]) {
        if (!doc.members.some((m) => gone.has(m))) continue;
        const updated = { ...doc, members: doc.members.filter((m) => !gone.has(m)) };
        await this.store.update({ _id: doc._id }, updated);
        this.channels.set(doc._id, updated);
      }
    });
  }

  // ------------------------------------------------------------------ helpers

  private userNumbers(): Set<string> {
    return new Set(this.users.list().map((u) => u.mobile));
  }

  /** The trimmed name, or `E_INVALID_FIELD` (user-name rules) / `E_NAME_IN_USE`. */
  private freeName(value: unknown): string {
    const checked = checkName(value);
    if (!checked.ok) throw fieldError('name', checked.reason);
    if (!checked.value) throw fieldError('name', 'is required');
    const taken = this.byName(checked.value);
    if (taken) throw new CommandError('E_NAME_IN_USE', `name: a channel named "${taken.name}" already exists`, { field: 'name', reason: 'in use' });
    return checked.value;
  }

  private byName(name: string): ChannelDoc | undefined {
    const key = nameKey(name);
    return [...this.channels.values()].find((c) => nameKey(c.name) === key);
  }

  private findDoc(args: { id?: unknown; name?: unknown }): ChannelDoc {
    if (typeof args.id === 'string' && args.id !== '') {
      const doc = this.channels.get(args.id.toLowerCase());
      if (doc) return doc;
      if (args.name === undefined) throw notFound('id', `no channel has the id ${ID_FORM.test(args.id.toLowerCase()) ? args.id : '(not 32 hex digits)'}`);
    }
    if (typeof args.name === 'string' && args.name.trim() !== '') {
      const doc = this.byName(args.name.trim().normalize('NFC'));
      if (doc) return doc;
      throw notFound('name', `no channel is named "${args.name.trim()}"`);
    }
    throw fieldError('id', 'is required (the channel id, or its name as name)');
  }

  /** A fresh random id (a clash with an existing one is astronomically unlikely, but checked). */
  private newId(): string {
    for (;;) {
      const id = randomBytes(ID_BYTES).toString('hex');
      if (!this.channels.has(id)) return id;
    }
  }

  private collection() {
    return { name: CHANNELS_COLLECTION, store: this.store };
  }

  /** Store `sets` and run `write` in one journaled unit; the issued secrets are zeroised either way. */
  private async commit(sets: KeySetRecord[], write: () => Promise<void>): Promise<void> {
    try {
      await this.keysStore.atomically([this.collection()], async (keys) => {
        if (sets.length) await keys.put(sets);
        await write();
      });
    } finally {
      for (const s of sets) zeroise(s.ssk, s.rsk);
    }
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

function channel(doc: ChannelDoc): Channel {
  return { id: doc._id, name: doc.name, members: [...doc.members], createdAt: doc.createdAt };
}

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

function byName(a: Channel, b: Channel): number {
  return collator.compare(a.name, b.name) || (a.id < b.id ? -1 : 1);
}

/** Names are unique regardless of case: "Ops" and "ops" would be the same channel to a user. */
function nameKey(name: string): string {
  return name.normalize('NFC').toLocaleLowerCase('en');
}

function keyRequest(id: string) {
  return { uri: channelKeyUri(id), owner: channelKeyOwner(id) };
}

/** The current and the next month: what a new channel gets keys for (as a new user). */
function currentAndNext(): Period[] {
  const now = Period.of(new Date());
  return [now, now.next()];
}

/**
 * A list of numbers (spaces and dashes typed between digits removed); with `known`, each must be
 * an existing user's. The first bad one fails naming it.
 */
function numbers(value: unknown, field: string, known?: Set<string>): string[] {
  if (!Array.isArray(value)) throw fieldError(field, 'must be a list of mobile numbers');
  return value.map((v) => {
    if (typeof v !== 'string') throw fieldError(field, 'must be a list of mobile numbers');
    const m = v.replace(/[\s-]/g, '');
    if (known && !known.has(m)) throw new CommandError('E_NOT_FOUND', `${field}: no user has the number ${m}; only existing users can be members`, { field, number: m, reason: 'not a user' });
    return m;
  });
}

function fieldError(field: string, reason: string): CommandError {
  return new CommandError('E_INVALID_FIELD', `${field}: ${reason}`, { field, reason });
}

function notFound(field: string, message: string): CommandError {
  return new CommandError('E_NOT_FOUND', `${field}: ${message}`, { field, reason: 'not found' });
}
