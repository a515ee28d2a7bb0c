/**
 * `keyward channels …`: the Channels menu on the command line, over the channels plugin's
 * commands (plugins/channels/commands.ts). A channel is named by its name or its id.
 */
import type { JsonValue } from '../kernel/index.js';
import type { ChannelList, ChannelShow } from '../../plugins/channels/commands.js';
import type { MembershipResult } from '../../plugins/channels/channels.service.js';
import type { Channel } from '../../plugins/channels/tokens.js';
import { optionValues } from './args.js';
import type { CliCommand } from './commands.js';
import { UsageError } from './errors.js';
import type { Session } from './session.js';

const json = (v: unknown) => v as JsonValue;

function channelOperand(operand: string | undefined, words: string[]): string {
  if (!operand) throw new UsageError(`keyward ${words.join(' ')} needs the channel's name (or id)`, words);
  return operand;
}

/** The channel named by `ref`: its id if it is one, else its name. */
function show(session: Session, ref: string): Promise<ChannelShow> {
  return session.execute<ChannelShow>('channels.show', { id: ref, name: ref });
}

export const CHANNEL_COMMANDS: CliCommand[] = [
  {
    words: ['channels', 'add'],
    operand: '<NAME>',
    summary: 'Add a channel (at most 50); it gets a random id and keys for this month and the next',
    options: [],
    async run(session, _args, operand) {
      const c = await session.execute<Channel>('channels.add', { name: channelOperand(operand, ['channels', 'add']) });
      return { result: json(c), text: `Added channel ${c.name} (id ${c.id}) with keys for this month and the next.` };
    },
  },
  {
    words: ['channels', 'list'],
    summary: 'List the channels: id, member count and name',
    options: [],
    async run(session) {
      const l = await session.execute<ChannelList>('channels.list');
      const lines = l.channels.map((c) => `${c.id}  ${String(c.memberCount).padStart(6)}  ${c.name}`);
      lines.push(`(${l.total} of at most ${l.limit} channels)`);
      return { result: json(l), text: lines.join('\n') };
    },
  },
  {
    words: ['channels', 'members'],
    operand: '<NAME>',
    usage: '[--add +46… …] [--remove +46… …]',
    summary: "Show a channel's members, or change them (--add and --remove are repeatable; members must be users)",
    options: ['add', 'remove'],
    async run(session, args, operand) {
      const c = await show(session, channelOperand(operand, ['channels', 'members']));
      const add = optionValues(args, 'add');
      const remove = optionValues(args, 'remove');
      if (!add.length && !remove.length) {
        return { result: json(c), text: [`Channel ${c.name} (id ${c.id}), ${c.members.length} members:`, ...c.members].join('\n') };
      }
      const r = await session.execute<MembershipResult>('channels.setMembers', { id: c.id, add, remove });
      const text = `Channel ${c.name}: ${r.added.length} added, ${r.removed.length} removed; ${r.channel.members.length} members. ` +
        'Changes take effect after the next crypto update.';
      return { result: json(r), text };
    },
  },
  {
    words: ['channels', 'delete'],
    operand: '<NAME>',
    summary: 'Delete a channel and its keys; conversations on devices are not deleted (asks to confirm; --yes)',
    options: [],
    async run(session, _args, operand) {
      const c = await show(session, channelOperand(operand, ['channels', 'delete']));
      const r = await session.execute<Channel>('channels.delete', { id: c.id });
      return { result: json(r), text: `Deleted channel ${r.name} and its keys. Conversations on the devices are not deleted.` };
    },
  },
];
