import { definePlugin, SetupHook } from '../../src/kernel/index.js';
import { IDevices } from '../devices/tokens.js';
import { IDomain } from '../domain/tokens.js';
import { ownDomainDigest } from '../domains/tokens.js';
import { backupCommands, restoreCommand } from './commands.js';
import { CompromisedDomains, type CompromisedDoc } from './compromised.js';
import type { Installation } from './restore.js';

/** The running installation of each data dir, for `backup.restore` (which exists before activation). */
const installations = new Map<string, Installation>();

export default definePlugin({
  id: 'backup',
  description: 'Backup and restore of the whole installation; refuses backups of domains replaced as compromised',
  requires: { domain: IDomain },
  optional: { devices: IDevices },
  standalone: (kernel) => [restoreCommand(kernel, () => installations.get(kernel.dataDir))],
  activate(ctx, { domain, devices }) {
    const compromised = new CompromisedDomains(ctx.collections.open<CompromisedDoc>('backup'));
    ctx.hooks.on(SetupHook, async (setup) => {
      if (setup.compromisedDomains?.length) await compromised.record(setup.compromisedDomains);
    });
    for (const def of backupCommands({ dataDir: ctx.dataDir, domain, devices, now: () => new Date() }, compromised)) ctx.commands.register(def);
    ctx.menus.register({ id: 'backup', label: 'Backup/Restore', element: 'kw-backup-view', order: 95 });
    const installation: Installation = {
      domain: () => ({ securityDomain: domain.securityDomain, fingerprint: ownDomainDigest(domain).fingerprint }),
      compromised: () => compromised.list(),
    };
    installations.set(ctx.dataDir, installation);
    ctx.track({ dispose: () => void (installations.get(ctx.dataDir) === installation && installations.delete(ctx.dataDir)) });
  },
});
