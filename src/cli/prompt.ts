/** Questions on the terminal: hidden entry for passphrases and yes/no confirmation. */
import readline from 'node:readline';
import { CommandError, UsageError } from './errors.js';

/** The streams and environment the CLI runs with (process.* in production). */
export interface CliIo {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
}

/** True when a person can answer questions. */
export function interactive(io: CliIo): boolean {
  return Boolean(io.stdin.isTTY && io.stderr.isTTY);
}

const ENTER = new Set(['\r', '\n']);
const CTRL_C = '\u0003';
const CTRL_D = '\u0004';
const BACKSPACE = new Set(['\u007f', '\b']);

/** Read a line without echoing it. The question goes to stderr so stdout stays clean for --json. */
export function promptHidden(question: string, io: CliIo): Promise<string> {
  const { stdin, stderr } = io;
  if (!interactive(io)) throw new UsageError(`${question.replace(/:\s*$/, '')}: no terminal to ask on`);
  stderr.write(question);
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      stderr.write('\n');
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ENTER.has(ch)) return finish(), resolve(value);
        if (ch === CTRL_C || (ch === CTRL_D && !value)) {
          return finish(), reject(new CommandError('E_CANCELLED', 'cancelled at the prompt'));
        }
        if (BACKSPACE.has(ch)) value = [...value].slice(0, -1).join('');
        else if (ch >= ' ') value += ch;
      }
    };
    stdin.on('data', onData);
  });
}

/** Ask a yes/no question on the terminal; only "y" or "yes" confirms. */
export async function confirm(question: string, io: CliIo): Promise<boolean> {
  const rl = readline.createInterface({ input: io.stdin, output: io.stderr, terminal: true });
  try {
    const answer = await new Promise<string>((resolve) => rl.question(`${question} [y/N] `, resolve));
    return /^(y|yes)$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}
