import { definePlugin } from '../../src/kernel/index.js';
import { IKeys } from '../keys/tokens.js';
import { ISettings } from '../settings/tokens.js';
import { userCommands } from './commands.js';
import { IUsers, NumbersInUseHook } from './tokens.js';
import { USERS_COLLECTION, UsersService, type UserDoc } from './users.service.js';

export default definePlugin({
  id: 'users',
  description: 'Users: add, details, lines, TSV import and export, Destroy Keys, delete',
  requires: { keys: IKeys, settings: ISettings },
  provides: IUsers,
  async activate(ctx, { keys, settings }) {
    const users = new UsersService(ctx.collections.open<UserDoc>(USERS_COLLECTION), keys, ctx.hooks, ctx.log, {
      qrEncryption: () => settings.features().qrProtection,
    });
    await users.load();
    ctx.hooks.on(NumbersInUseHook, (payload) => users.answerInUse(payload));
    for (const def of userCommands(users)) ctx.commands.register(def);
    ctx.menus.register({ id: 'users', label: 'Users', element: 'kw-users-view', order: 10 });
    return users;
  },
});
