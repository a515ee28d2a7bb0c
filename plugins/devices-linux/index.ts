import { isAbsolute, resolve } from 'node:path';
import { definePlugin } from '../../src/kernel/index.js';
import { devicesStatusCommand, IDevices } from '../devices/tokens.js';
import { LinuxDevices } from './devices-linux.service.js';

export default definePlugin({
  id: 'devices-linux',
  description: 'Print with CUPS (lp) and burn discs or ISO images with xorriso',
  // An alternative to devices-folder: config {"enabled": ["devices-linux"], "disabled": ["devices-folder"]}.
  disabledByDefault: true,
  provides: IDevices,
  activate(ctx) {
    ctx.flags.declare({ id: 'devices.printer', label: 'CUPS printer', description: 'A CUPS queue; empty: the default printer (lpstat -d)', default: '' });
    ctx.flags.declare({
      id: 'devices.burner',
      label: 'Disc burner',
      description: 'Empty: the first optical drive (/dev/sr*); a /dev path: that drive; a folder: write ISO images there (relative to the data dir)',
      default: '',
    });
    const devices = new LinuxDevices(() => {
      const burner = ctx.flags.get<string>('devices.burner');
      return {
        printer: ctx.flags.get<string>('devices.printer'),
        burner: burner && !isAbsolute(burner) ? resolve(ctx.dataDir, burner) : burner,
      };
    });
    ctx.commands.register(devicesStatusCommand(devices));
    return devices;
  },
});
