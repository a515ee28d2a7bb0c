/**
 * The users plugin's commands (the contract the Users view, the CLI and the tests share).
 * Arguments are JSON objects; failures are CommandErrors naming the field.
 */
import type { CommandContext, CommandDefinition, JsonObject, JsonValue } from '../../src/kernel/index.js';
import type { RunContext, UsersService } from './users.service.js';
import { checkNumber, fieldError } from './validation.js';

type Args = Record<string, JsonValue | undefined>;

/** The argument as an object, or `E_INVALID_FIELD` (an empty object stands for none). */
function obj(args: JsonValue | undefined): Args {
  if (args === undefined || args === null) return {};
  if (typeof args !== 'object' || Array.isArray(args)) throw fieldError('args', 'must be an object');
  return args;
}

function run(ctx: CommandContext): RunContext {
  return { actor: ctx.actor, signal: ctx.signal, progress: (p) => ctx.progress(p) };
}

/** Typed results (interfaces) as JSON; the command bus checks JSON-safety at run time anyway. */
function json<T>(value: T): JsonValue {
  return value as unknown as JsonValue;
}

const EDITABLE = ['firstName', 'lastName', 'comment'];

/** The event-log target: the user's number as stored (the result's, not as typed). */
const target = (_args: unknown, result: { mobile: string }) => ({ target: result.mobile });

/** The line as stored, for the event log. */
function line(args: JsonValue | undefined): string {
  const n = checkNumber(obj(args).line);
  return n.ok ? n.value : '';
}

/** The `users.*` commands over `users`; index.ts registers them. */
export function userCommands(users: UsersService): CommandDefinition<any, any>[] {
  return [
    {
      id: 'users.add',
      title: 'Add a user',
      audit: target,
      handler: async (args, ctx) => json(await users.add(obj(args), run(ctx))),
    },
    {
      id: 'users.list',
      title: 'List the users',
      audit: false,
      handler: async () => {
        const list = users.list();
        return json({ total: list.length, userLimit: await users.userLimit(), users: list });
      },
    },
    {
      id: 'users.show',
      title: 'Show a user’s details',
      audit: false,
      handler: async (args) => json(await users.show(obj(args).mobile)),
    },
    {
      id: 'users.update',
      title: 'Change a user’s name or comment',
      // Which fields were given, never their values.
      audit: (args, result: { mobile: string }) => ({ ...target(args, result), details: { fields: EDITABLE.filter((f) => obj(args)[f] !== undefined) } }),
      handler: async (args) => json(await users.update(obj(args))),
    },
    {
      id: 'users.addLine',
      title: 'Add an additional line to a user',
      audit: (args, result: { mobile: string }) => ({ ...target(args, result), details: { line: line(args) } }),
      handler: async (args, ctx) => json(await users.addLine(obj(args), run(ctx))),
    },
    {
      id: 'users.removeLine',
      title: 'Remove an additional line from a user',
      audit: (args, result: { mobile: string }) => ({ ...target(args, result), details: { line: line(args) } }),
      handler: async (args) => json(await users.removeLine(obj(args))),
    },
    {
      id: 'users.validateImport',
      title: 'Check a user file without importing it',
      audit: false,
      handler: async (args) => {
        const a = obj(args);
        return json(await users.validateImport(a.fileName, a.contentBase64));
      },
    },
    {
      id: 'users.import',
      title: 'Import users from a file',
      audit: (args, result: { imported: number }) => ({ target: String(obj(args).fileName), details: { imported: result.imported } }),
      handler: async (args, ctx) => {
        const a = obj(args);
        return json(await users.importFile(a.fileName, a.contentBase64, run(ctx)));
      },
    },
    {
      id: 'users.export',
      title: 'Export users to a file',
      audit: (args, result: { fileName: string }) => {
        const mobiles = obj(args).mobiles;
        return { target: result.fileName, details: { users: Array.isArray(mobiles) ? mobiles.length : 'all' } as JsonObject };
      },
      handler: async (args) => json(users.exportFile(obj(args).mobiles)),
    },
    {
      id: 'users.destroyKeys',
      title: 'Destroy Keys (compromise recovery)',
      destructive: true,
      // One event-log record per user, written by the service.
      audit: false,
      handler: async (args, ctx) => json(await users.destroyKeys(obj(args).mobiles, run(ctx))),
    },
    {
      id: 'users.delete',
      title: 'Delete users and their keys',
      destructive: true,
      // One event-log record per user, written by the service.
      audit: false,
      handler: async (args, ctx) => json(await users.delete(obj(args).mobiles, run(ctx))),
    },
  ];
}
