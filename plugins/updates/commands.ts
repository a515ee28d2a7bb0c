/**
 * The updates plugin's commands (the contract of the Update view, the CLI and the tests).
 * Audited with the months, the file name and the counts, never a key.
 */
import { readFile } from 'node:fs/promises';
import { CommandError, type CommandDefinition, type JsonValue } from '../../src/kernel/index.js';
import { Period, hexToBytes } from '../../src/crypto/index.js';
import type { ISettings } from '../settings/tokens.js';
import { deadlineFor, reminderCalendar } from './calendar.js';
import { inspectUpdateFile } from './inspect.js';
import type { GenerateResult, UpdateDeadline, UpdateStatus } from './tokens.js';
import type { Target, UpdatesService } from './updates.service.js';

type Args = Record<string, JsonValue | undefined>;
const json = <T>(value: T) => value as unknown as JsonValue;

function obj(args: JsonValue | undefined): Args {
  if (args === undefined || args === null) return {};
  if (typeof args !== 'object' || Array.isArray(args)) throw invalid('args', 'must be an object');
  return args;
}

function invalid(field: string, why: string): CommandError {
  return new CommandError('E_INVALID_ARGS', `${field}: ${why}`, { field, reason: why });
}

/** `month` as a period (`YYYY-MM`), or `fallback` when absent. */
function monthArg(a: Args, fallback: Period): Period {
  if (a.month === undefined) return fallback;
  if (typeof a.month !== 'string' || !/^\d{4}-(0[1-9]|1[0-2])$/.test(a.month)) throw invalid('month', 'must be a month as YYYY-MM');
  return Period.parse(a.month);
}

function stringArg(a: Args, field: string): string | undefined {
  const v = a[field];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v === '') throw invalid(field, 'must be a non-empty string');
  return v;
}

function targetArg(a: Args): Target {
  const out = stringArg(a, 'out');
  if ((out !== undefined) === (a.burn === true)) throw invalid('out', 'say where the file goes: either out (a folder) or burn: true');
  return out !== undefined ? { out } : { burn: true };
}

export function updateCommands(updates: UpdatesService, settings: ISettings, opts: { now: () => Date; securityDomain: () => string }): CommandDefinition<any, any>[] {
  const thisMonth = () => Period.of(opts.now());
  const deadline = (month: Period): UpdateDeadline => ({ month: month.toString(), sendBefore: deadlineFor(month) });
  return [
    {
      id: 'updates.generate',
      title: 'Generate the monthly key update file',
      audit: (_args: JsonValue, r: GenerateResult) => ({
        target: r.months[0],
        details: { months: r.months, fileName: r.fileName, endpoints: r.endpoints, blocked: r.blocked, keysMade: r.keysMade, peers: r.peers, channels: r.channels },
      }),
      handler: async (args: JsonValue, ctx) => {
        const a = obj(args);
        return json(await updates.generate(monthArg(a, thisMonth()), targetArg(a), ctx));
      },
    },
    {
      id: 'updates.status',
      title: 'Show the months an update covers, its deadline and the last update',
      audit: false,
      handler: async () => {
        const month = thisMonth();
        const d = deadline(month.next());
        const today = new Date(opts.now().toISOString().slice(0, 10)).getTime();
        const status: UpdateStatus = {
          months: [month.toString(), month.next().toString()],
          deadline: d,
          daysLeft: Math.round((Date.parse(`${d.sendBefore}T00:00:00Z`) - today) / 86_400_000),
          last: (await updates.last()) ?? null,
        };
        return json(status);
      },
    },
    {
      id: 'updates.deadline',
      title: 'The date before which the update file for a month must reach the CRS',
      audit: false,
      handler: (args: JsonValue) => json(deadline(monthArg(obj(args), thisMonth().next()))),
    },
    {
      id: 'updates.calendar',
      title: 'A calendar file (.ics) with a monthly reminder of the update deadline',
      audit: false,
      handler: () => ({
        fileName: 'keyward-update-reminder.ics',
        text: reminderCalendar(thisMonth(), { uid: `keyward-monthly-update-${settings.crs().account}@keyward`, stamp: opts.now(), securityDomain: opts.securityDomain() }),
      }),
    },
    {
      id: 'updates.inspect',
      title: 'Check an update file’s CRS authentication and show its CRS-visible part or one entry',
      // Read-only; its arguments hold secrets (update key, CRS secret), so nothing is recorded.
      audit: false,
      handler: async (args: JsonValue) => {
        const a = obj(args);
        const file = stringArg(a, 'file');
        const content = stringArg(a, 'contentBase64');
        if ((file === undefined) === (content === undefined)) throw invalid('file', 'give either file (a path) or contentBase64');
        const bytes = file !== undefined ? await readFile(file).catch(() => { throw invalid('file', `${file} cannot be read`); }) : Buffer.from(content!, 'base64');
        const uri = stringArg(a, 'uri');
        const keyHex = stringArg(a, 'updateKey');
        if ((uri === undefined) !== (keyHex === undefined)) throw invalid('updateKey', 'uri and updateKey go together');
        if (keyHex !== undefined && !/^[0-9a-fA-F]{32}$/.test(keyHex)) throw invalid('updateKey', 'must be 32 hex digits');
        const secret = stringArg(a, 'crsSecret') ?? settings.crs().secret;
        return json(inspectUpdateFile(bytes, secret, uri === undefined ? {} : { endpoint: uri, updateKey: hexToBytes(keyHex!.toLowerCase()) }));
      },
    },
  ];
}
