/**
 * Optional copy of event log entries to the operating system's log, so an auditor has a record
 * outside the data dir: syslog through `logger` on Linux and macOS, the Windows Application event
 * log through `eventcreate` on Windows. Entries are single lines (time actor action target);
 * event records never hold secrets, so nothing secret passes through here.
 *
 * Writing is fire-and-forget: one helper process at a time in a queue, failures are counted,
 * never thrown into the caller, and never block it.
 */
import { spawn } from 'node:child_process';

/** Tag (syslog) or source (Windows event log) of every entry. */
export const OS_LOG_TAG = 'keyward';

/** Entries beyond this many waiting are dropped (and counted) rather than piling up processes. */
const MAX_QUEUED = 1000;
/** Longest entry sent; eventcreate and classic syslog both cap message size. */
const MAX_LINE = 1000;
/** A helper that has not finished by then is killed and counted as failed. */
const HELPER_TIMEOUT_MS = 10_000;

export interface OsLogOptions {
  /** Defaults to `process.platform`. */
  platform?: NodeJS.Platform;
  /** Linux only: the syslog daemon's Unix socket (default `/dev/log`). */
  socket?: string;
}

export interface OsLogStats {
  /** Entries the OS log accepted. */
  sent: number;
  /** Entries the helper failed to deliver (no syslog daemon, no permission, missing helper). */
  failed: number;
  /** Entries dropped because too many were waiting. */
  dropped: number;
  /** What went wrong last, for the settings view (helper's own error text, no entry content). */
  lastError?: string;
}

/** The program and arguments that write `line` to the OS log (no shell is involved, so no quoting issues). */
export function osLogCommand(line: string, opts: OsLogOptions = {}): { file: string; args: string[] } {
  const message = oneLine(line);
  const platform = opts.platform ?? process.platform;
  if (platform === 'win32') {
    // Event ID 1 of source "keyward" in the Application log; eventcreate registers the source on first use.
    return { file: 'eventcreate', args: ['/L', 'APPLICATION', '/T', 'INFORMATION', '/SO', OS_LOG_TAG, '/ID', '1', '/D', message] };
  }
  const args = ['-t', OS_LOG_TAG, '-p', 'user.notice'];
  if (platform === 'linux') {
    // util-linux logger stays silent when no daemon listens unless asked to report it.
    args.unshift('--socket-errors=on');
    if (opts.socket) args.push('-u', opts.socket);
  }
  // "--" so an entry starting with "-" is never read as an option.
  return { file: 'logger', args: [...args, '--', message] };
}

/** Queue of entries for the OS log. */
export class OsLog {
  readonly #opts: OsLogOptions;
  #queue: Promise<void> = Promise.resolve();
  #waiting = 0;
  readonly #stats: OsLogStats = { sent: 0, failed: 0, dropped: 0 };

  constructor(opts: OsLogOptions = {}) {
    this.#opts = opts;
  }

  /** Queue one entry. Returns at once; never throws. */
  write(line: string): void {
    if (this.#waiting >= MAX_QUEUED) {
      this.#stats.dropped++;
      return;
    }
    this.#waiting++;
    this.#queue = this.#queue.then(() => this.#deliver(line)).finally(() => this.#waiting--);
  }

  /** Resolves once every queued entry has been handed over (or failed). */
  idle(): Promise<void> {
    return this.#queue;
  }

  get stats(): OsLogStats {
    return { ...this.#stats };
  }

  #deliver(line: string): Promise<void> {
    return new Promise((resolve) => {
      // A failed spawn may report both 'error' and 'close': count each entry once.
      let settled = false;
      const settle = (why?: string) => {
        if (settled) return;
        settled = true;
        if (why === undefined) {
          this.#stats.sent++;
        } else {
          this.#stats.failed++;
          this.#stats.lastError = why;
        }
        resolve();
      };
      const { file, args } = osLogCommand(line, this.#opts);
      let stderr = '';
      try {
        const child = spawn(file, args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: HELPER_TIMEOUT_MS, windowsHide: true });
        child.stderr.setEncoding('utf8').on('data', (d: string) => {
          if (stderr.length < 500) stderr += d;
        });
        child.on('error', (e) => settle(`${file}: ${e.message}`));
        child.on('close', (code, signal) => {
          if (code === 0) settle();
          else settle(stderr.trim().split('\n')[0] || `${file} exited with ${signal ?? `code ${code}`}`);
        });
      } catch (e) {
        settle(`${file}: ${(e as Error).message}`);
      }
    });
  }
}

/** Control characters (newlines included) would split or forge entries in line-based logs. */
function oneLine(line: string): string {
  // eslint-disable-next-line no-control-regex
  const flat = line.replace(/[\u0000-\u001f\u007f]+/g, ' ');
  return flat.length > MAX_LINE ? flat.slice(0, MAX_LINE - 1) + '…' : flat;
}
