import { isAbsolute, join, resolve } from 'node:path';
import { definePlugin } from '../../src/kernel/index.js';
import { devicesStatusCommand, IDevices } from '../devices/tokens.js';
import { FolderDevices } from './devices-folder.service.js';

export default definePlugin({
  id: 'devices-folder',
  description: 'Print and burn into folders (the default; point the burn folder at a USB stick)',
  provides: IDevices,
  activate(ctx) {
    // The defaults live in the data dir's outbox/, made on first use; a configured folder must exist
    // (a USB stick that is not inserted is no burner). Relative paths are taken from the data dir.
    const folder = (id: string, label: string, name: string) => {
      const fallback = join(ctx.dataDir, 'outbox', name);
      ctx.flags.declare({ id, label, description: `A folder; relative paths start at the data dir. Default: ${fallback}`, default: fallback });
      return () => {
        const path = ctx.flags.get<string>(id) || fallback;
        return { path: isAbsolute(path) ? path : resolve(ctx.dataDir, path), created: path === fallback };
      };
    };
    const print = folder('devices.printFolder', 'Print folder', 'print');
    const burn = folder('devices.burnFolder', 'Burn folder (a USB stick, for example)', 'burn');
    const devices = new FolderDevices(() => ({ print: print(), burn: burn() }));
    ctx.commands.register(devicesStatusCommand(devices));
    return devices;
  },
});
