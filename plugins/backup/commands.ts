import { CommandError, type CommandDefinition, type JsonValue, type StandaloneKernel } from '../../src/kernel/index.js';
import { createBackup, type CreateDeps } from './create.js';
import { restoreBackup, type Installation } from './restore.js';
import type { CompromisedDomains } from './compromised.js';

const json = (v: unknown) => v as JsonValue;

/** The argument object of `id`, or E_INVALID_ARGS. */
function obj(args: unknown, id: string): Record<string, unknown> {
  if (typeof args !== 'object' || args === null || Array.isArray(args)) throw new CommandError('E_INVALID_ARGS', `${id}: the argument must be an object`);
  return args as Record<string, unknown>;
}

function str(a: Record<string, unknown>, id: string, field: string): string {
  const v = a[field];
  if (typeof v !== 'string' || v === '') throw new CommandError('E_INVALID_ARGS', `${id}: ${field} must be a non-empty string`);
  return v;
}

/** `backup.create` and `backup.compromisedDomains`, registered while the kernel is ready. */
export function backupCommands(deps: CreateDeps, compromised: CompromisedDomains): CommandDefinition<any, any>[] {
  return [
    {
      id: 'backup.create',
      title: 'Back up every key, setting, user and the event log',
      // Alone: no command may write while the data files are copied, or the copy could mix two states.
      exclusive: true,
      audit: (args, r: { fileName: string; files: number; size: number; verified: boolean }) => ({
        target: r.fileName,
        details: { files: r.files, size: r.size, to: obj(args, 'backup.create').out === undefined ? 'burner' : 'folder', verified: r.verified },
      }),
      handler: async (args, ctx) => {
        const a = obj(args, 'backup.create');
        const out = a.out === undefined ? undefined : str(a, 'backup.create', 'out');
        return json(await createBackup({ backupPassphrase: str(a, 'backup.create', 'backupPassphrase'), out }, ctx, deps));
      },
    },
    {
      id: 'backup.compromisedDomains',
      title: 'Compromised domains this installation replaced',
      audit: false,
      handler: async () => json(await compromised.list()),
    },
  ];
}

/** `backup.restore`: in every kernel state, so the install wizard can offer it. */
export function restoreCommand(kernel: StandaloneKernel, installation: () => Installation | undefined): CommandDefinition<any, any> {
  return {
    id: 'backup.restore',
    title: 'Restore from backup',
    // Not `destructive`: on a new machine it replaces nothing; the views and the CLI ask before replacing data.
    exclusive: true,
    // Recorded in the restored event log (the kernel is ready on it by then).
    audit: (args, r: { created: string; fingerprint: string; files: number }) => ({
      target: String(obj(args, 'backup.restore').fileName),
      details: { backupCreated: r.created, fingerprint: r.fingerprint, files: r.files },
    }),
    handler: async (args, ctx) => {
      const id = 'backup.restore';
      const a = obj(args, id);
      const confirm = a.confirmOtherDomain;
      if (confirm !== undefined && typeof confirm !== 'boolean') throw new CommandError('E_INVALID_ARGS', `${id}: confirmOtherDomain must be true or false`);
      const restoreArgs = {
        fileName: str(a, id, 'fileName'),
        contentBase64: str(a, id, 'contentBase64'),
        backupPassphrase: str(a, id, 'backupPassphrase'),
        passphrase: str(a, id, 'passphrase'),
        confirmOtherDomain: confirm === true,
      };
      return json(await restoreBackup(restoreArgs, ctx, kernel, installation()));
    },
  };
}
