/**
 * The channels plugin's commands (the contract the Channels view, User Details, the CLI and the
 * tests share). Every change is audited with the channel id as target; never any key.
 */
import { CommandError, type CommandDefinition, type JsonObject, type JsonValue } from '../../src/kernel/index.js';
import type { ChannelsService, MembershipResult } from './channels.service.js';
import { MAX_CHANNELS, type Channel } from './tokens.js';

type Args = Record<string, JsonValue | undefined>;

/** The argument as an object (none: an empty one). */
function obj(args: JsonValue | undefined): Args {
  if (args === undefined || args === null) return {};
  if (typeof args !== 'object' || Array.isArray(args)) throw new CommandError('E_INVALID_FIELD', 'args: must be an object', { field: 'args', reason: 'not an object' });
  return args;
}

const json = <T>(value: T) => value as unknown as JsonValue;

/** `channels.list`'s row: the member count, not the members (50 channels × thousands of numbers). */
export interface ChannelRow {
  id: string;
  name: string;
  memberCount: number;
  createdAt: string;
}

/** `channels.list` */
export interface ChannelList {
  total: number;
  limit: number;
  channels: ChannelRow[];
}

/** `channels.show`: the channel with its members and the months that have keys. */
export interface ChannelShow extends Channel {
  keyPeriods: string[];
}

/** The `channels.*` commands over `channels`; index.ts registers them. */
export function channelCommands(channels: ChannelsService): CommandDefinition<any, any>[] {
  return [
    {
      id: 'channels.add',
      title: 'Add a channel',
      audit: (_args, r: Channel) => ({ target: r.id, details: { name: r.name } }),
      handler: async (args, ctx) => json(await channels.add(obj(args).name, ctx.signal)),
    },
    {
      id: 'channels.list',
      title: 'List the channels',
      audit: false,
      handler: () => {
        const list = channels.list();
        const rows: ChannelRow[] = list.map((c) => ({ id: c.id, name: c.name, memberCount: c.members.length, createdAt: c.createdAt }));
        return json<ChannelList>({ total: rows.length, limit: MAX_CHANNELS, channels: rows });
      },
    },
    {
      id: 'channels.show',
      title: 'Show a channel and its members',
      audit: false,
      handler: async (args) => {
        const c = channels.find(obj(args));
        return json<ChannelShow>({ ...c, keyPeriods: await channels.keyPeriods(c.id) });
      },
    },
    {
      id: 'channels.setMembers',
      title: 'Change the members of a channel',
      // Who gained or lost access is what an auditor asks; the numbers are not secret.
      audit: (_args, r: MembershipResult) => ({ target: r.channel.id, details: { added: r.added, removed: r.removed } as JsonObject }),
      handler: async (args) => json(await channels.setMembers(obj(args))),
    },
    {
      id: 'channels.delete',
      title: 'Delete a channel and its keys',
      destructive: true,
      audit: (_args, r: Channel) => ({ target: r.id, details: { name: r.name, members: r.members.length } }),
      handler: async (args) => json(await channels.delete(obj(args).id)),
    },
  ];
}
