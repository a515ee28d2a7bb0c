import { join } from 'node:path';
import Datastore from 'nedb-promises';
import type { Collection, CollectionRegistry, Disposable } from '../api.js';
import { KernelError } from '../errors.js';

/** What the vault lends collections: record-by-record encryption as nedb serialization hooks. */
export interface Sealer {
  seal(plain: string): string;
  open(sealed: string): string;
}

const NAME = /^[a-z0-9][a-z0-9_.-]*$/;

/**
 * nedb-promises collections, one file `<dataDir>/<name>.db` each, every line sealed by the vault.
 * A name belongs to the first plugin that opens it; the same plugin gets the same Datastore back.
 */
export class Collections implements CollectionRegistry {
  private readonly open_ = new Map<string, { owner: string; ds: Collection<any> }>();

  constructor(
    private readonly dataDir: string,
    private readonly sealer: Sealer,
  ) {}

  /**
   * Opens `name` for `owner`; `track` receives the Disposable that closes it (first open only).
   * The file is created on first use, not here.
   */
  open<T extends object>(name: string, owner = 'kernel', track: (d: Disposable) => void = () => {}): Collection<T> {
    if (!NAME.test(name)) throw new KernelError(`Collection name "${name}" may only hold a-z, 0-9, "-", "_" and "." (not first)`);
    const held = this.open_.get(name);
    if (held && held.owner !== owner) throw new KernelError(`Collection "${name}" already belongs to plugin "${held.owner}"`);
    if (held) return held.ds;
    const ds = sealedStore(join(this.dataDir, `${name}.db`), this.sealer);
    const entry = { owner, ds };
    this.open_.set(name, entry);
    track({
      dispose: async () => {
        await drain(ds);
        if (this.open_.get(name) === entry) this.open_.delete(name);
      },
    });
    return ds as Collection<T>;
  }
}

/** A Datastore on `file` whose every line is sealed by `sealer` (also used by the upgrade on staged copies). */
export function sealedStore<T extends object>(file: string, sealer: Sealer): Collection<T> {
  return Datastore.create({
    filename: file,
    afterSerialization: (line) => sealer.seal(line),
    beforeDeserialization: (line) => sealer.open(line),
    // A line that does not open is tampering or a wrong key: refuse to load rather than drop it.
    corruptAlertThreshold: 0,
  }) as Collection<T>;
}

/**
 * Waits for the datastore's queued writes, so none runs after the vault is locked or the files removed.
 * nedb runs operations one by one and nedb-promises loads lazily (`__loaded` stays null until first use),
 * so a count queued behind everything settles last; an untouched store is left untouched.
 */
async function drain(ds: Collection<any>): Promise<void> {
  if ((ds as unknown as { __loaded: unknown }).__loaded) await ds.count({}).catch(() => undefined);
}
