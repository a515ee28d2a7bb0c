import { definePlugin, SetupHook, type JsonObject, type JsonValue } from '../../src/kernel/index.js';
import { ISettings } from '../settings/tokens.js';
import { IUsers, UserLimitHook } from '../users/tokens.js';
import { installationChecksum } from './checksum.js';
import { LicenseService, type AcceptedKey, type LicenseDoc } from './license.service.js';
import { ILicense } from './tokens.js';

const json = (v: object) => v as unknown as JsonValue;

export default definePlugin({
  id: 'license',
  description: 'Licence: System ID, installation checksum, licence key verification and the user limit',
  requires: { settings: ISettings },
  optional: { users: IUsers },
  provides: ILicense,
  async activate(ctx, deps) {
    const license = new LicenseService({
      settings: deps.settings,
      users: deps.users,
      store: ctx.collections.open<LicenseDoc>('license'),
      log: ctx.log,
      checksum: await installationChecksum(ctx.dataDir),
      verifyingKey: ctx.config.licenseVerifyingKey,
      now: () => new Date(),
    });
    // Before the settings plugin (order 50) stores the licence fields: a bad key stores nothing.
    ctx.hooks.on(SetupHook, (setup) => license.setup(setup), 40);
    ctx.hooks.on(UserLimitHook, (payload) => license.answerLimit(payload));
    // A restored installation's grace period starts the first time it runs, not when someone looks.
    if (ctx.config.licenseVerifyingKey) await license.status();

    ctx.commands.register<undefined, JsonValue>({
      id: 'license.show',
      title: 'Show the licence',
      audit: false,
      handler: async () => json(await license.status()),
    });
    ctx.commands.register<JsonObject, JsonValue>({
      id: 'license.verify',
      title: 'Check a licence key',
      audit: false,
      handler: (args) => json(license.verify(args ?? {})),
    });
    ctx.commands.register<JsonObject, JsonValue>({
      id: 'license.set',
      title: 'New License',
      // What the key grants, never the key itself.
      audit: (_args, result) => {
        const r = result as unknown as AcceptedKey;
        return { target: r.systemId, details: json(r) as JsonObject };
      },
      handler: async (args) => json(await license.set(args ?? {})),
    });
    ctx.menus.register({ id: 'license', parent: 'settings', label: 'Licence', element: 'kw-license-view', order: 91 });
    return license;
  },
});
