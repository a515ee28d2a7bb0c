import { definePlugin } from '../../src/kernel/index.js';
import { defaultLayout } from '../../layouts/index.js';
import { IDevices } from '../devices/tokens.js';
import { IDomain } from '../domain/tokens.js';
import { ILetters } from '../letters/tokens.js';
import { ISettings } from '../settings/tokens.js';
import { CERTIFICATE_LAYOUT } from './certificate-pdf.js';
import { domainsCommands } from './commands.js';
import { DomainsService, type DomainsDoc } from './domains.service.js';
import { IDomains } from './tokens.js';

export default definePlugin({
  id: 'domains',
  description: 'Connected domains: my domain certificate, adding peers by QR code or typed rows, deleting them',
  requires: { domain: IDomain, letters: ILetters, settings: ISettings },
  optional: { devices: IDevices },
  provides: IDomains,
  activate(ctx, deps) {
    ctx.layouts.register({ id: CERTIFICATE_LAYOUT, label: 'Domain certificate', ...defaultLayout('domain-certificate') });
    const now = () => new Date();
    const domains = new DomainsService(ctx.collections.open<DomainsDoc>('domains'), deps.domain, ctx.hooks, now);
    for (const def of domainsCommands(domains, { letters: deps.letters, settings: deps.settings, devices: deps.devices, now })) {
      ctx.commands.register(def);
    }
    // Sub-menus of the domain plugin's "Connected Domains" (the manual's "My Domain" sub-menu and the peers).
    ctx.menus.register({ id: 'domains.mine', parent: 'domain', label: 'My Domain', element: 'kw-domains-mine', order: 61 });
    ctx.menus.register({ id: 'domains.peers', parent: 'domain', label: 'Peer domains', element: 'kw-domains-peers', order: 62 });
    return domains;
  },
});
