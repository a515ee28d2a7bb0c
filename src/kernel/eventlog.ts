/**
 * The event log: every administrative action, append-only and hash-chained, sealed by the vault.
 *
 * File `<dataDir>/eventlog.jsonl` (never leaves the machine), one line per record, each line the
 * compact JSON, keys in this order:
 * ```
 * {"seq":<n>,"prev":"<hex>","data":"<sealed>","hash":"<hex>"}
 * ```
 * - `seq`: 1, 2, 3, … with no gaps.
 * - `prev`: the `hash` of the line before (64 zeros for record 1).
 * - `data`: `vault.seal()` of the JSON `{"seq","prev","time","actor","action","target"?,"details"?}`, so
 *   names of persons and what was done are not in clear, and the sealed copy of `seq`/`prev` ties
 *   the content to its place in the chain under the data key.
 * - `hash`: hex SHA-256 of the UTF-8 text `"keyward-eventlog-v1\n" + seq + "\n" + prev + "\n" + data`.
 *
 * {@link EventLog.verify} re-reads the file and reports the first bad record: a changed byte
 * anywhere in a line (not canonical JSON, hash mismatch, sealed data that does not open or does not
 * match its line), a deleted or reordered record (seq gap, prev mismatch — and a forger who renumbers
 * and rehashes the lines still cannot reseal the content), and an incomplete last line (a write cut
 * short). Whole records cut off the end of the file leave a valid shorter chain; verify notices that
 * only for records this process wrote. The OS log copy ({@link EventLog.setOsSink}) is the remedy: it
 * holds every entry outside the data dir.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { EventRecord, IEventLog, JsonObject, JsonValue, LogVerifyResult } from './api.js';
import { syncDir } from './atomic-file.js';
import { OsLog } from './oslog.js';
import { VaultError, type Vault } from './vault.js';

/** File name of the event log inside the data dir. */
export const EVENT_LOG_FILE = 'eventlog.jsonl';

const GENESIS = '0'.repeat(64);
const HASH_DOMAIN = 'keyward-eventlog-v1';
const HEX64 = /^[0-9a-f]{64}$/;
const LIST_DEFAULT_LIMIT = 100;
const LIST_MAX_LIMIT = 1000;
/** Records describe an action, they are not a data store; this bounds a line to a few kilobytes. */
const MAX_DETAILS_CHARS = 16 * 1024;

/**
 * Detail keys that would hold a secret. The log is kept forever and cannot be redacted (that is the
 * point of append-only), so a secret recorded by mistake could never be removed: refusing it loudly
 * makes the mistake show up in the caller's tests instead. Compared after lower-casing and dropping
 * non-letters, so `crsSecret`, `new_passphrase` and `SSK` all match.
 */
const SECRET_WORDS = ['passphrase', 'password', 'secret', 'privatekey'];
const SECRET_NAMES = new Set(['ssk', 'rsk', 'ksak', 'z']);

export type EventLogErrorCode =
  | 'E_SECRET_IN_DETAILS' // a details key names a secret
  | 'E_INVALID_ARGS'; // a record or list() option is malformed

export class EventLogError extends Error {
  override readonly name = 'EventLogError';
  constructor(
    readonly code: EventLogErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface EventLogOptions {
  /** Where {@link EventLog.setOsSink} sends entries; defaults to the platform's OS log. */
  osLog?: OsLog;
}

interface Line {
  seq: number;
  prev: string;
  data: string;
  hash: string;
}

type Checked = { ok: true; line: Line; record: EventRecord } | { ok: false; reason: string; line?: Line };

export class EventLog implements IEventLog {
  /** Absolute path of the log file. */
  readonly file: string;
  /** The OS log entries go to while the sink is on; its `stats` tell whether delivery works. */
  readonly osLog: OsLog;
  readonly #vault: Vault;
  #osSink = false;
  /** Serialises record/list/verify so appends never fork the chain. */
  #queue: Promise<unknown> = Promise.resolve();
  /** Records that open, in file order; null until first loaded. */
  #records: EventRecord[] | null = null;
  #head = { seq: 0, hash: GENESIS };
  /** Highest seq this instance appended or saw, to notice records cut off the end. */
  #highest = 0;
  /** File size when last read or written; a different size means someone else wrote (reload). */
  #size = -1;
  /** The file ends in an incomplete line: the next append starts a fresh line. */
  #needsNewline = false;

  constructor(dataDir: string, vault: Vault, opts: EventLogOptions = {}) {
    this.file = path.join(dataDir, EVENT_LOG_FILE);
    this.#vault = vault;
    this.osLog = opts.osLog ?? new OsLog();
  }

  /** Copy each new record as one line (time actor action target) to the OS log, or stop doing so. */
  setOsSink(on: boolean): void {
    this.#osSink = on;
  }

  get osSinkEnabled(): boolean {
    return this.#osSink;
  }

  /**
   * Append a record (fsync'd) with the next seq and the current UTC time. Refuses details keys that
   * name secrets (…passphrase…, …password…, …secret…, …privateKey…, ssk, rsk, ksak, z) with
   * `E_SECRET_IN_DETAILS`, and malformed input with `E_INVALID_ARGS`.
   */
  record(e: { actor: string; action: string; target?: string; details?: JsonObject }): Promise<EventRecord> {
    let details: JsonObject | undefined;
    try {
      checkRecordInput(e);
      // Copied now, so what was checked is what gets written even if the caller changes it meanwhile.
      details = e.details === undefined ? undefined : structuredClone(e.details);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#serialised(async () => {
      await this.#load();
      const seq = this.#head.seq + 1;
      const prev = this.#head.hash;
      const record: EventRecord = {
        seq,
        time: new Date().toISOString(),
        actor: e.actor,
        action: e.action,
        ...(e.target !== undefined ? { target: e.target } : {}),
        ...(details !== undefined ? { details } : {}),
      };
      const data = this.#vault.seal(JSON.stringify({ ...record, prev }));
      const hash = lineHash(seq, prev, data);
      const text = (this.#needsNewline ? '\n' : '') + JSON.stringify({ seq, prev, data, hash } satisfies Line) + '\n';
      await this.#append(text);
      this.#needsNewline = false;
      this.#head = { seq, hash };
      this.#highest = Math.max(this.#highest, seq);
      this.#records!.push(record);
      if (this.#osSink) this.osLog.write([record.time, record.actor, record.action, record.target].filter((s) => s !== undefined).join(' '));
      return structuredClone(record);
    });
  }

  /** Records newest first, optionally only one action; `total` counts all matching records. */
  list(opts: { offset?: number; limit?: number; action?: string } = {}): Promise<{ total: number; records: EventRecord[] }> {
    const offset = opts.offset ?? 0;
    const limit = opts.limit ?? LIST_DEFAULT_LIMIT;
    if (!Number.isInteger(offset) || offset < 0) return Promise.reject(new EventLogError('E_INVALID_ARGS', 'offset must be a whole number ≥ 0'));
    if (!Number.isInteger(limit) || limit < 1 || limit > LIST_MAX_LIMIT) {
      return Promise.reject(new EventLogError('E_INVALID_ARGS', `limit must be a whole number from 1 to ${LIST_MAX_LIMIT}`));
    }
    if (opts.action !== undefined && typeof opts.action !== 'string') return Promise.reject(new EventLogError('E_INVALID_ARGS', 'action must be a string'));
    return this.#serialised(async () => {
      await this.#load();
      const matching = opts.action === undefined ? this.#records! : this.#records!.filter((r) => r.action === opts.action);
      const records: EventRecord[] = [];
      for (let i = matching.length - 1 - offset; i >= 0 && records.length < limit; i--) records.push(structuredClone(matching[i]!));
      return { total: matching.length, records };
    });
  }

  /**
   * Re-read the whole file and check the chain. `records` is the number of lines in the file;
   * `problem` names the first bad record by the seq that belongs at that place.
   */
  verify(): Promise<LogVerifyResult> {
    return this.#serialised(async () => {
      const text = await readIfExists(this.file);
      const lines = splitLines(text);
      let prev = GENESIS;
      for (let i = 0; i < lines.length; i++) {
        const seq = i + 1;
        const incomplete = i === lines.length - 1 && !text.endsWith('\n');
        const checked = this.#check(lines[i]!, seq, prev, i + 1);
        if (!checked.ok || incomplete) {
          const reason = incomplete
            ? `record ${seq}: the last line is incomplete (the file was cut short or a write was interrupted)`
            : (checked as { reason: string }).reason;
          return { ok: false, records: lines.length, problem: { seq, reason } };
        }
        prev = checked.line.hash;
      }
      if (this.#highest > lines.length) {
        const reason = `records ${lines.length + 1} to ${this.#highest} were written by this session but are missing: the end of the log was cut off`;
        return { ok: false, records: lines.length, problem: { seq: lines.length + 1, reason } };
      }
      return { ok: true, records: lines.length };
    });
  }

  /** Check one line against the place it holds (`seq`, `prev`); reasons name the record and the line. */
  #check(text: string, seq: number, prev: string, lineNo: number): Checked {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return { ok: false, reason: `record ${seq}: line ${lineNo} is not valid JSON (modified or damaged)` };
    }
    const line = asLine(json);
    if (!line) return { ok: false, reason: `record ${seq}: line ${lineNo} lacks seq, prev, data or hash (modified or damaged)` };
    if (JSON.stringify(line) !== text) return { ok: false, reason: `record ${seq}: line ${lineNo} was modified (not in the form Keyward writes)`, line };
    if (line.seq !== seq) {
      const reason =
        line.seq > seq
          ? `record ${seq} is missing: line ${lineNo} holds record ${line.seq} (deleted or reordered)`
          : `record ${seq}: line ${lineNo} holds record ${line.seq} again (duplicated or reordered)`;
      return { ok: false, reason, line };
    }
    if (line.prev !== prev) return { ok: false, reason: `record ${seq}: does not chain to record ${seq - 1} (a record was deleted, replaced or reordered)`, line };
    if (lineHash(line.seq, line.prev, line.data) !== line.hash) return { ok: false, reason: `record ${seq}: hash mismatch (the line was modified)`, line };
    let plain: string;
    try {
      plain = this.#vault.open(line.data);
    } catch (e) {
      if (e instanceof VaultError && e.code === 'E_LOCKED') throw e;
      return { ok: false, reason: `record ${seq}: sealed content cannot be opened (modified, or written under another vault)`, line };
    }
    const sealed = parseSealed(plain);
    if (!sealed) return { ok: false, reason: `record ${seq}: sealed content is not a valid event record`, line };
    if (sealed.seq !== line.seq || sealed.prev !== line.prev) {
      return { ok: false, reason: `record ${seq}: sealed content belongs to another place in the chain (lines renumbered or moved)`, line };
    }
    return { ok: true, line, record: sealed.record };
  }

  /** Read the file into memory unless it is unchanged since we last read or wrote it. */
  async #load(): Promise<void> {
    if (this.#records && (await sizeIfExists(this.file)) === this.#size) return;
    const text = await readIfExists(this.file);
    // list() shows every record that is intact in itself (verify judges the chain); appends continue
    // from the last line that parses, so the chain goes on past a damaged line that verify reports.
    const records: EventRecord[] = [];
    let head = { seq: 0, hash: GENESIS };
    splitLines(text).forEach((t, i) => {
      const line = asLineOrNull(t);
      if (!line) return;
      const checked = this.#check(t, line.seq, line.prev, i + 1);
      if (checked.ok) records.push(checked.record);
      head = { seq: line.seq, hash: line.hash };
    });
    this.#records = records;
    this.#head = head;
    this.#highest = Math.max(this.#highest, head.seq);
    this.#size = Buffer.byteLength(text);
    this.#needsNewline = text.length > 0 && !text.endsWith('\n');
  }

  async #append(text: string): Promise<void> {
    const created = this.#size <= 0;
    this.#size = -1; // unknown until the write completes: a failure forces a reload
    const handle = await fs.open(this.file, 'a', 0o600);
    try {
      await handle.write(text);
      await handle.sync();
      this.#size = (await handle.stat()).size;
    } finally {
      await handle.close();
    }
    if (created) await syncDir(path.dirname(this.file));
  }

  #serialised<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task);
    this.#queue = run.catch(() => undefined);
    return run;
  }
}

function lineHash(seq: number, prev: string, data: string): string {
  return createHash('sha256').update(`${HASH_DOMAIN}\n${seq}\n${prev}\n${data}`, 'utf8').digest('hex');
}

async function readIfExists(file: string): Promise<string> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw e;
  }
}

async function sizeIfExists(file: string): Promise<number> {
  try {
    return (await fs.stat(file)).size;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw e;
  }
}

/** Lines of the file; a final line without a newline is kept (it is an incomplete write). */
function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** The outer line object with exactly its four fields in order, or null. */
function asLine(json: unknown): Line | null {
  if (typeof json !== 'object' || json === null) return null;
  const { seq, prev, data, hash } = json as Record<string, unknown>;
  if (!Number.isSafeInteger(seq) || (seq as number) < 1) return null;
  if (typeof prev !== 'string' || !HEX64.test(prev) || typeof hash !== 'string' || !HEX64.test(hash) || typeof data !== 'string') return null;
  return { seq: seq as number, prev, data, hash };
}

function asLineOrNull(text: string): Line | null {
  try {
    return asLine(JSON.parse(text));
  } catch {
    return null;
  }
}

function parseSealed(plain: string): { seq: number; prev: string; record: EventRecord } | null {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(plain);
  } catch {
    return null;
  }
  if (typeof json !== 'object' || json === null) return null;
  const { seq, prev, time, actor, action, target, details } = json;
  if (typeof seq !== 'number' || typeof prev !== 'string' || typeof time !== 'string' || typeof actor !== 'string' || typeof action !== 'string') return null;
  if (target !== undefined && typeof target !== 'string') return null;
  if (details !== undefined && (typeof details !== 'object' || details === null || Array.isArray(details))) return null;
  const record: EventRecord = {
    seq,
    time,
    actor,
    action,
    ...(target !== undefined ? { target } : {}),
    ...(details !== undefined ? { details: details as JsonObject } : {}),
  };
  return { seq, prev, record };
}

function checkRecordInput(e: { actor: unknown; action: unknown; target?: unknown; details?: unknown }): void {
  const bad = (msg: string) => new EventLogError('E_INVALID_ARGS', `event record: ${msg}`);
  if (typeof e !== 'object' || e === null) throw bad('not an object');
  if (typeof e.actor !== 'string' || e.actor.trim() === '') throw bad('actor must be a non-empty string');
  if (typeof e.action !== 'string' || e.action.trim() === '') throw bad('action must be a non-empty string');
  if (e.target !== undefined && typeof e.target !== 'string') throw bad('target must be a string');
  if (e.details === undefined) return;
  if (typeof e.details !== 'object' || e.details === null || Array.isArray(e.details)) throw bad('details must be a JSON object');
  checkDetails(e.details as JsonValue, 'details');
  if (JSON.stringify(e.details).length > MAX_DETAILS_CHARS) throw bad(`details exceed ${MAX_DETAILS_CHARS} characters of JSON`);
}

/** Walk details: JSON-safe values only, and no key that names a secret. */
function checkDetails(value: JsonValue, at: string): void {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new EventLogError('E_INVALID_ARGS', `event record: ${at} is not a finite number`);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => checkDetails(v, `${at}[${i}]`));
    return;
  }
  if (typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) {
    throw new EventLogError('E_INVALID_ARGS', `event record: ${at} is not JSON (${typeof value})`);
  }
  for (const [key, v] of Object.entries(value)) {
    const name = key.toLowerCase().replace(/[^a-z]/g, '');
    if (SECRET_NAMES.has(name) || SECRET_WORDS.some((w) => name.includes(w))) {
      throw new EventLogError('E_SECRET_IN_DETAILS', `event record: ${at}.${key} looks like a secret; secrets are never written to the event log`);
    }
    checkDetails(v, `${at}.${key}`);
  }
}
