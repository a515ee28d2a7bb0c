import { definePlugin } from '../../src/kernel/index.js';
import { IDevices } from '../devices/tokens.js';
import { IDomain } from '../domain/tokens.js';
import { IKeys } from '../keys/tokens.js';
import { ILetters } from '../letters/tokens.js';
import { ISettings } from '../settings/tokens.js';
import { IUsers, NumbersInUseHook } from '../users/tokens.js';
import { gatewayCommands } from './commands.js';
import { GatewayLetters } from './gateway-letters.js';
import { GATEWAYS_COLLECTION, GatewaysService, type GatewayDoc } from './gateways.service.js';
import { IGateways } from './tokens.js';

export default definePlugin({
  id: 'gateways',
  description: 'Gateways (CIG): numbers with monthly keys, crypto engines with their own credentials, initiation letters',
  // users: the numbers-in-use hook is theirs, and a gateway's number must not be a user's.
  requires: { users: IUsers, keys: IKeys, domain: IDomain, settings: ISettings, letters: ILetters },
  optional: { devices: IDevices },
  provides: IGateways,
  async activate(ctx, deps) {
    const now = () => new Date();
    const gateways = new GatewaysService(ctx.collections.open<GatewayDoc>(GATEWAYS_COLLECTION), deps.keys, ctx.hooks, now);
    await gateways.load();
    ctx.hooks.on(NumbersInUseHook, (payload) => gateways.answerInUse(payload));
    const letters = new GatewayLetters({ ...deps, gateways, now });
    for (const def of gatewayCommands(gateways, letters)) ctx.commands.register(def);
    ctx.menus.register({ id: 'gateways', label: 'Gateways', element: 'kw-gateways-view', order: 30 });
    return gateways;
  },
});
