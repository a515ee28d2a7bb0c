import { definePlugin, type JsonValue } from '../../src/kernel/index.js';
import { IDomain } from '../domain/tokens.js';
import { exportKeys, type KeyExport } from './export.js';
import { Journal } from './journal.js';
import { KEYS_COLLECTION, KeysService, type KeyDoc } from './keys.service.js';
import { KEYS_SCHEMA } from './migrations.js';
import { IKeys } from './tokens.js';

export default definePlugin({
  id: 'keys',
  description: 'Monthly ECCSI/SAKKE key sets of users, lines, gateways and channels; all-or-nothing writes',
  requires: { domain: IDomain },
  provides: IKeys,
  collections: { [KEYS_COLLECTION]: KEYS_SCHEMA },
  async activate(ctx, { domain }) {
    // First, before any collection loads: undo a journaled write that a crash cut short.
    const journal = new Journal(ctx.dataDir);
    await journal.recover();
    const keys = new KeysService(ctx.collections.open<KeyDoc>(KEYS_COLLECTION), domain, journal);
    await keys.load();
    ctx.commands.register<JsonValue, KeyExport>({
      id: 'keys.export',
      title: 'Export the keys of one identity and month (authorised interception)',
      audit: (args) => {
        const a = args as { uri: string; period: string };
        return { target: a.uri, details: { period: a.period } };
      },
      handler: (args, c) => exportKeys(keys, args, c),
    });
    return keys;
  },
});
