import { definePlugin } from '../../src/kernel/index.js';
import { IKeys } from '../keys/tokens.js';
import { IUsers, UserDetailsHook, UsersDeletedHook } from '../users/tokens.js';
import { channelCommands } from './commands.js';
import { CHANNELS_COLLECTION, ChannelsService, type ChannelDoc } from './channels.service.js';
import { IChannels } from './tokens.js';

export default definePlugin({
  id: 'channels',
  description: 'Channels: up to 50, members, monthly channel keys',
  requires: { keys: IKeys, users: IUsers },
  provides: IChannels,
  async activate(ctx, { keys, users }) {
    const channels = new ChannelsService(ctx.collections.open<ChannelDoc>(CHANNELS_COLLECTION), keys, users);
    await channels.load();
    ctx.hooks.on(UserDetailsHook, ({ details }) => {
      details.channels = channels.channelsOf(details.mobile).map((c) => ({ id: c.id, name: c.name }));
    });
    ctx.hooks.on(UsersDeletedHook, ({ mobiles }) => channels.dropUsers(mobiles));
    for (const def of channelCommands(channels)) ctx.commands.register(def);
    ctx.menus.register({ id: 'channels', label: 'Channels', element: 'kw-channels-view', order: 20 });
    return channels;
  },
});
