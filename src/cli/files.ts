/** Files the CLI reads and writes for a command: a missing, unreadable or taken one is an E_FILE error naming it. */
import fs from 'node:fs';
import path from 'node:path';
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

/** Write one new file (never replacing one) into `dir`; returns its path. */
export function writeNew(dir: string, name: string, data: string | Buffer): string {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new CommandError('E_FILE', `${dir}: no such folder`, { file: dir });
  const file = path.join(dir, name);
  try {
    fs.writeFileSync(file, data, { flag: 'wx' });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CommandError('E_FILE', `${file}: ${code === 'EEXIST' ? 'exists already; nothing was written' : `cannot be written (${code ?? 'error'})`}`, { file });
  }
  return file;
}
