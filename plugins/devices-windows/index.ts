import { definePlugin } from '../../src/kernel/index.js';
import { devicesStatusCommand, IDevices } from '../devices/tokens.js';
import { WindowsDevices } from './devices-windows.service.js';

export default definePlugin({
  id: 'devices-windows',
  description: 'Print and burn discs on Windows (IMAPI2 and printing through PowerShell)',
  // An alternative to devices-folder: config {"enabled": ["devices-windows"], "disabled": ["devices-folder"]}.
  disabledByDefault: true,
  provides: IDevices,
  activate(ctx) {
    ctx.flags.declare({ id: 'devices.printer', label: 'Printer', description: 'A Windows printer name; empty: the default printer', default: '' });
    const devices = new WindowsDevices(() => ({ printer: ctx.flags.get<string>('devices.printer') }));
    ctx.commands.register(devicesStatusCommand(devices));
    return devices;
  },
});
