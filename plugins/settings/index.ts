import { definePlugin, SetupHook } from '../../src/kernel/index.js';
import { ISettings } from './tokens.js';
import { settingsCommands } from './commands.js';
import { SettingsService, type SettingsDoc } from './settings.service.js';

/** Declared by the letters plugin: QR protection until the administrator sets it under Settings (absent: off). */
const QR_FLAG = 'letters.qrEncryption';

export default definePlugin({
  id: 'settings',
  description: 'Domain settings: CRS address, account and shared secret with its change history; feature switches; licence fields',
  provides: ISettings,
  async activate(ctx) {
    const settings = new SettingsService(ctx.collections.open<SettingsDoc>('settings'), {
      qrDefault: () => ctx.flags.list().some((f) => f.id === QR_FLAG && f.value === true),
      now: () => new Date(),
    });
    await settings.load();
    // Before the domain plugin (default order 100) makes the master keys: cheap checks fail first.
    ctx.hooks.on(SetupHook, (setup) => settings.setup(setup), 50);
    for (const def of settingsCommands(settings)) ctx.commands.register(def);
    ctx.menus.register({ id: 'settings', label: 'Settings', element: 'kw-settings-view', order: 90 });
    return settings;
  },
});
