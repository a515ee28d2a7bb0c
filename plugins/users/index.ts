import { definePlugin } from '../../src/kernel/index.js';
import { IKeys } from '../keys/tokens.js';
import { userCommands } from './commands.js';
import { IUsers, NumbersInUseHook } from './tokens.js';
import { USERS_COLLECTION, UsersService, type UserDoc } from './users.service.js';

/** Set by the letters plugin; absent (no letters plugin) means off. */
const QR_FLAG = 'letters.qrEncryption';

export default definePlugin({
  id: 'users',
  description: 'Users: add, details, lines, TSV import and export, Destroy Keys, delete',
  requires: { keys: IKeys },
  provides: IUsers,
  async activate(ctx, { keys }) {
    const users = new UsersService(ctx.collections.open<UserDoc>(USERS_COLLECTION), keys, ctx.hooks, ctx.log, {
      qrEncryption: () => ctx.flags.list().some((f) => f.id === QR_FLAG && f.value === true),
    });
    await users.load();
    ctx.hooks.on(NumbersInUseHook, (payload) => users.answerInUse(payload));
    for (const def of userCommands(users)) ctx.commands.register(def);
    ctx.menus.register({ id: 'users', label: 'Users', element: 'kw-users-view', order: 10 });
    return users;
  },
});
