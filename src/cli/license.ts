/** `keyward license show|set`: the licence (Settings → Licence) — System ID, installation checksum, status, New License. */
import type { JsonValue } from '../kernel/index.js';
import type { LicenseStatus } from '../../plugins/license/tokens.js';
import { optionValue } from './args.js';
import type { CliCommand } from './commands.js';
import { UsageError } from './errors.js';
import { readInputFile } from './files.js';

const json = (v: unknown) => v as JsonValue;

/** "temporary until 2027-01-31", "valid", … as one phrase. */
function statusPhrase(s: LicenseStatus): string {
  if (s.state === 'temporary') return `temporary until ${s.until}`;
  if (s.state === 'expired') return `expired on ${s.until}`;
  if (s.state === 'invalid') return `invalid (${s.reason})`;
  return s.state;
}

export const LICENSE_COMMANDS: CliCommand[] = [
  {
    words: ['license', 'show'],
    summary: 'Show the System ID, this installation\'s checksum (send it to your supplier for a permanent key), the licence status and the users in use',
    options: [],
    async run(session) {
      const s = await session.execute<LicenseStatus & JsonValue>('license.show');
      const users = s.userLimit === null ? `${s.usersInUse} (no limit)` : `${s.usersInUse} of ${s.userLimit}`;
      const text = [
        `System ID: ${s.systemId || '(none)'}`,
        `Checksum:  ${s.checksum}`,
        `Status:    ${statusPhrase(s)}`,
        `Users:     ${users}`,
        '',
        s.message,
      ].join('\n');
      return { result: json(s), text };
    },
  },
  {
    words: ['license', 'set'],
    operand: '[KEY]',
    usage: '[--key-file F] [--system-id ID]',
    summary: 'New License: check a licence key (given, or read from --key-file) against the System ID and this installation, then store it',
    options: ['key-file', 'system-id'],
    async run(session, args, operand) {
      const words = ['license', 'set'];
      const file = optionValue(args, 'key-file');
      if ((operand === undefined) === (file === undefined)) throw new UsageError('give the licence key as KEY or with --key-file F (one of them)', words);
      const licenseKey = file !== undefined ? readInputFile(file, '--key-file').toString('utf8') : operand!;
      const systemId = optionValue(args, 'system-id');
      const r = await session.execute<{ systemId: string; maxUsers: number; kind: string; expires?: string }>('license.set', {
        licenseKey,
        ...(systemId !== undefined ? { systemId } : {}),
      });
      const what = r.expires ? `a temporary licence until ${r.expires}` : `a ${r.kind} licence`;
      return { result: json(r), text: `Stored the licence key for System ID ${r.systemId}: ${what} for ${r.maxUsers} users.` };
    },
  },
];
