import { definePlugin, SetupHook } from '../../src/kernel/index.js';
import { IDomain, type DomainShow } from './tokens.js';
import { DomainService, type DomainDoc } from './domain.service.js';

export default definePlugin({
  id: 'domain',
  description: 'The Security Domain: its name and ECCSI/SAKKE master keys',
  provides: IDomain,
  async activate(ctx) {
    const domain = ctx.track(new DomainService(ctx.collections.open<DomainDoc>('domain')));
    await domain.load();
    ctx.hooks.on(SetupHook, (setup) => domain.create(setup.securityDomain));
    ctx.commands.register<undefined, DomainShow>({
      id: 'domain.show',
      title: 'Show the Security Domain and its public keys',
      audit: false,
      handler: () => domain.show(),
    });
    ctx.menus.register({ id: 'domain', label: 'Connected Domains', element: 'kw-domain-view', order: 60 });
    return domain;
  },
});
