import { spawn } from 'node:child_process';
import { CommandError } from '../../src/kernel/index.js';

/** What a finished program left: its exit code, standard output (bytes: it may be file data) and error text. */
export interface RunResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

/** Runs a program; the devices plugins take one so their generated commands can be checked where the tool is absent. */
export type Runner = (program: string, args: readonly string[], opts?: { input?: Uint8Array | string }) => Promise<RunResult>;

/**
 * Runs `program` without a shell (arguments are never parsed again), feeding `input` on standard input.
 * A program that is not installed is `E_DEVICE_TOOL`; any exit code is returned for the caller to judge.
 */
export const runProgram: Runner = (program, args, opts = {}) =>
  new Promise((resolve, reject) => {
    const child = spawn(program, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e: NodeJS.ErrnoException) =>
      reject(e.code === 'ENOENT' ? new CommandError('E_DEVICE_TOOL', `${program} is not installed on this machine`) : e),
    );
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8') }));
    // A program that exits without reading its input closes the pipe: that is its answer, not ours to report.
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.input ?? '');
  });
