import { CommandError, type Collection } from '../../src/kernel/index.js';
import { CryptoError, hexToBytes, issueKeySetChunk, issueKeySets, zeroise, type KeySet, type MasterSecrets, type Period } from '../../src/crypto/index.js';
import type { IDomain } from '../domain/tokens.js';
import type { Journal, JournaledFile } from './journal.js';
import type { AtomicCollection, IKeys, IssueOptions, KeyRequest, KeySetRecord, KeyWriter } from './tokens.js';
import { identityFor } from './uri.js';

/**
 * A record of the `keys` collection (vault-encrypted at rest), version 2 (migrations.ts: the
 * identity is derived from `period` and `uri`, not stored). Byte fields are lower-case hex.
 */
export interface KeyDoc {
  /** `<period>|<uri>`: nedb's unique index makes "once per (uri, period)" a storage rule. */
  _id: string;
  uri: string;
  period: string;
  owner: string;
  ssk: string;
  pvt: string;
  rsk: string;
  /** ISO 8601 UTC. */
  createdAt: string;
}

export const KEYS_COLLECTION = 'keys';

/**
 * Up to this many key sets are issued on this thread (a few ms each, measured ~4 ms): starting the
 * worker pool costs 2–3 s here (each worker loads the crypto code), which would make adding one
 * user or line wait for seconds. Bigger batches (imports, monthly generation) use the pool.
 */
const IN_THREAD_MAX = 8;

function docId(uri: string, period: string): string {
  return `${period}|${uri}`;
}

/** Monthly key sets in the `keys` collection; writes only through the journal. */
export class KeysService implements IKeys {
  constructor(
    private readonly store: Collection<KeyDoc>,
    private readonly domain: IDomain,
    private readonly journal: Journal,
  ) {}

  async load(): Promise<void> {
    await this.store.ensureIndex({ fieldName: 'uri' });
    await this.store.ensureIndex({ fieldName: 'owner' });
  }

  async issue(requests: KeyRequest[], periods: Period[], opts: IssueOptions = {}): Promise<KeySetRecord[]> {
    const wanted = requests.flatMap((r) =>
      periods.map((p) => ({ ...r, period: p.toString(), identity: identityFor(p, r.uri) })),
    );
    const existing = new Map<string, string>();
    const ids = wanted.map((w) => docId(w.uri, w.period));
    for (const d of await this.store.find({ _id: { $in: ids } }, { owner: 1 })) existing.set(d._id!, d.owner);
    const taken = wanted.find((w) => existing.has(docId(w.uri, w.period)) && existing.get(docId(w.uri, w.period)) !== w.owner);
    if (taken) {
      throw new CommandError('E_KEYS_EXIST', `${taken.uri} already has keys for ${taken.period} held by someone else`, {
        uri: taken.uri,
        period: taken.period,
      });
    }
    const todo = wanted.filter((w) => !existing.has(docId(w.uri, w.period)));
    const master = this.domain.masterSecrets();
    try {
      const identities = todo.map((w) => w.identity);
      const sets =
        identities.length <= IN_THREAD_MAX
          ? issueInThread(master, identities, opts)
          : await issueKeySets(master, identities, { signal: opts.signal, onProgress: opts.onProgress });
      return sets.map((s, i) => ({ uri: todo[i]!.uri, period: todo[i]!.period, owner: todo[i]!.owner, ...s }));
    } catch (err) {
      if (err instanceof CryptoError && err.code === 'E_CANCELLED') throw new CommandError('E_CANCELLED', 'key issuing was cancelled');
      throw err;
    } finally {
      zeroise(master.ksak, master.z);
    }
  }

  async get(uri: string, period: Period): Promise<KeySetRecord | undefined> {
    const doc = await this.store.findOne({ _id: docId(uri, period.toString()) });
    if (!doc) return undefined;
    return {
      uri: doc.uri,
      period: doc.period,
      owner: doc.owner,
      identity: identityFor(period, doc.uri),
      ssk: hexToBytes(doc.ssk),
      pvt: hexToBytes(doc.pvt),
      rsk: hexToBytes(doc.rsk),
    };
  }

  async periods(uri: string): Promise<string[]> {
    const docs = await this.store.find({ uri }, { period: 1 });
    return docs.map((d) => d.period).sort();
  }

  atomically<T>(collections: AtomicCollection[], write: (keys: KeyWriter) => Promise<T>): Promise<T> {
    const files = [{ name: KEYS_COLLECTION, store: this.store }, ...collections].map(journaled);
    return this.journal.run(files, () => write(this.writer()));
  }

  private writer(): KeyWriter {
    return {
      put: async (sets) => {
        const createdAt = new Date().toISOString();
        const docs: KeyDoc[] = sets.map((s) => ({
          _id: docId(s.uri, s.period),
          uri: s.uri,
          period: s.period,
          owner: s.owner,
          ssk: hex(s.ssk),
          pvt: hex(s.pvt),
          rsk: hex(s.rsk),
          createdAt,
        }));
        const clash = await this.store.findOne({ _id: { $in: docs.map((d) => d._id) } });
        if (clash) {
          throw new CommandError('E_KEYS_EXIST', `${clash.uri} already has keys for ${clash.period}; a month's keys are made once`, {
            uri: clash.uri,
            period: clash.period,
          });
        }
        await this.store.insert(docs);
      },
      removeOwners: (owners) => this.store.remove({ owner: { $in: owners } }, { multi: true }),
      removeUris: (uris) => this.store.remove({ uri: { $in: uris } }, { multi: true }),
    };
  }
}

/** Lower-case hex through Buffer: about 6 times faster than bytesToHex, which counts with 20,000 key sets an import. */
function hex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}

/** The same checked key sets as the pool gives (src/crypto keyset.ts), issued here in one chunk. */
function issueInThread(master: MasterSecrets, identities: Uint8Array[], opts: IssueOptions): KeySet[] {
  if (opts.signal?.aborted) throw new CryptoError('E_CANCELLED', 'key issuing was cancelled');
  const sets = issueKeySetChunk(master, identities);
  opts.onProgress?.(sets.length, sets.length);
  return sets;
}

/**
 * nedb-promises keeps the first load's promise, so re-reading a file needs nedb's own
 * `loadDatabaseAsync`, which `Datastore.create`'s proxy exposes (the documented way to reach the
 * underlying nedb datastore).
 */
function journaled({ name, store }: AtomicCollection): JournaledFile {
  const nedb = store as unknown as { loadDatabaseAsync(): Promise<void> };
  return { file: `${name}.db`, reload: () => nedb.loadDatabaseAsync() };
}
