import { definePlugin, SetupHook, type JsonObject } from '../../src/kernel/index.js';
import { ISettings } from './tokens.js';
import { SettingsService, type CrsPublic, type SettingsDoc } from './settings.service.js';
import { argsObject } from './validate.js';

/** What `settings.get` returns: never the shared secret. */
type SettingsView = { crs: CrsPublic | null; license: JsonObject };

export default definePlugin({
  id: 'settings',
  description: 'Domain settings: CRS address, account and shared secret; licence fields',
  provides: ISettings,
  async activate(ctx) {
    const settings = new SettingsService(ctx.collections.open<SettingsDoc>('settings'));
    await settings.load();
    // Before the domain plugin (default order 100) makes the master keys: cheap checks fail first.
    ctx.hooks.on(SetupHook, (setup) => settings.setup(setup), 50);

    ctx.commands.register<undefined, SettingsView>({
      id: 'settings.get',
      title: 'Show the settings',
      audit: false,
      handler: () => ({ crs: settings.crsPublic(), license: { ...settings.license() } }),
    });
    ctx.commands.register<JsonObject, CrsPublic>({
      id: 'settings.setCrs',
      title: 'Change the CRS settings',
      // Records the CRS migration (manual: "CRS migration") without the secret.
      audit: (args, result) => ({
        target: result.address,
        details: { address: result.address, account: result.account, credentialReplaced: args.secret !== undefined },
      }),
      handler: async (args) => {
        const a = argsObject(args);
        await settings.setCrs({ address: a.address, account: a.account, secret: a.secret });
        return settings.crsPublic()!;
      },
    });
    ctx.commands.register<undefined, { secret: string }>({
      id: 'settings.revealCrsSecret',
      title: 'Reveal the CRS shared secret',
      // Recorded with the default audit: the action only, never the value.
      handler: () => ({ secret: settings.crs().secret }),
    });
    return settings;
  },
});
