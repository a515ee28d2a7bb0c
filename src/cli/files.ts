/** Files the CLI reads for a command: a missing or unreadable one is an E_FILE error naming it. */
import fs from 'node:fs';
import { CommandError } from './errors.js';

/**
 * The bytes of `file`. `label` prefixes the message (e.g. "--passphrase-file") where the option
 * that named the file helps the administrator find it.
 */
export function readInputFile(file: string, label?: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'cannot be read';
    throw new CommandError('E_FILE', `${label ? `${label} ` : ''}${file}: ${why}`, { file });
  }
}
