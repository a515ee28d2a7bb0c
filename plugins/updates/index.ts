import { definePlugin } from '../../src/kernel/index.js';
import { IChannels } from '../channels/tokens.js';
import { IDevices } from '../devices/tokens.js';
import { IDomain } from '../domain/tokens.js';
import { IDomains } from '../domains/tokens.js';
import { GatewaysDeletedHook, IGateways } from '../gateways/tokens.js';
import { IKeys } from '../keys/tokens.js';
import { ISettings } from '../settings/tokens.js';
import { FirstGenerationHook, IUsers, UsersDeletedHook } from '../users/tokens.js';
import { updateCommands } from './commands.js';
import { UPDATES_COLLECTION, UpdatesService, type UpdatesDoc } from './updates.service.js';

export default definePlugin({
  id: 'updates',
  description: 'The monthly key update file for the CRS: keys of two months, one encrypted entry per endpoint, blocked credentials',
  requires: { users: IUsers, keys: IKeys, domain: IDomain, settings: ISettings },
  optional: { channels: IChannels, gateways: IGateways, domains: IDomains, devices: IDevices },
  async activate(ctx, deps) {
    const now = () => new Date();
    const updates = new UpdatesService(ctx.collections.open<UpdatesDoc>(UPDATES_COLLECTION), deps, now);
    ctx.hooks.on(UsersDeletedHook, ({ mobiles, generations }) => updates.rememberDeleted(mobiles, generations));
    ctx.hooks.on(GatewaysDeletedHook, ({ gateways }) =>
      updates.rememberEngines(gateways.flatMap((g) => [...g.engines, ...g.revokedEngines].map((e) => ({ number: g.number, engine: e.id })))),
    );
    ctx.hooks.on(FirstGenerationHook, (payload) => updates.firstGenerations(payload));
    for (const def of updateCommands(updates, deps.settings, { now, securityDomain: () => deps.domain.securityDomain })) ctx.commands.register(def);
    ctx.menus.register({ id: 'updates', label: 'Update', element: 'kw-updates-view', order: 40 });
  },
});
