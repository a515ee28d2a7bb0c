/**
 * Where secrets given to the CLI come from. Never from the command line itself (it would show
 * in the process list and shell history): from a file, an environment variable, or a hidden prompt.
 */
import { CommandError, UsageError } from './errors.js';
import { readInputFile } from './files.js';
import { passphraseProblem } from '../kernel/passphrase-policy.js';
import { interactive, promptHidden, type CliIo } from './prompt.js';

/** Read a one-line secret file; a single trailing newline (as editors write) is not part of it. */
export function readSecretFile(file: string, option: string): string {
  const text = readInputFile(file, `--${option}`).toString('utf8');
  const value = text.replace(/\r?\n$/, '');
  if (!value) throw new CommandError('E_FILE', `--${option} ${file}: the file is empty`, { file });
  if (/[\r\n]/.test(value)) throw new CommandError('E_FILE', `--${option} ${file}: must hold one line`, { file });
  return value;
}

/** The administrator passphrase: --passphrase-file, else KEYWARD_PASSPHRASE, else a hidden prompt. */
export async function currentPassphrase(file: string | undefined, io: CliIo): Promise<string> {
  if (file !== undefined) return readSecretFile(file, 'passphrase-file');
  if (io.env.KEYWARD_PASSPHRASE) return io.env.KEYWARD_PASSPHRASE;
  if (!interactive(io)) throw noSource('passphrase-file', 'KEYWARD_PASSPHRASE');
  return promptHidden('Passphrase: ', io);
}

/**
 * A passphrase being set (init, passphrase change): from the file or variable named, else typed
 * twice at a hidden prompt so a typing mistake cannot lock the administrator out.
 */
export async function newPassphrase(file: string | undefined, envName: string, option: string, io: CliIo): Promise<string> {
  const passphrase = await enterNew(file, envName, option, io);
  // The kernel's policy, checked here too so a typed passphrase is refused before it is confirmed.
  const problem = passphraseProblem(passphrase);
  if (problem) throw new CommandError('E_WEAK_PASSPHRASE', `the new passphrase ${problem}; a phrase of several words is best`);
  return passphrase;
}

async function enterNew(file: string | undefined, envName: string, option: string, io: CliIo): Promise<string> {
  if (file !== undefined) return readSecretFile(file, option);
  if (io.env[envName]) return io.env[envName]!;
  if (!interactive(io)) throw noSource(option, envName);
  const first = await promptHidden('New passphrase: ', io);
  const again = await promptHidden('Repeat the new passphrase: ', io);
  if (first !== again) throw new CommandError('E_MISMATCH', 'the two passphrases differ; nothing was changed');
  return first;
}

function noSource(option: string, envName: string): UsageError {
  return new UsageError(`no passphrase: give --${option} FILE or set ${envName} (there is no terminal to ask on)`);
}
