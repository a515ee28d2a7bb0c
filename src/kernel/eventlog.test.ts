import { createHash } from 'node:crypto';
import { promises as fs, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JsonObject } from './api.js';
import { EVENT_LOG_FILE, EventLog, EventLogError } from './eventlog.js';
import { Vault, VaultError } from './vault.js';

const PASS = 'correct horse battery staple';

let dir: string;
let vault: Vault;
beforeEach(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'kw-log-'));
  vault = await Vault.create(dir, PASS, { insecureTestKdf: true });
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function fill(log: EventLog, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await log.record({ actor: 'admin', action: i % 2 ? 'users.add' : 'users.remove', target: `User ${i + 1}`, details: { i } });
}

async function lines(): Promise<string[]> {
  return (await fs.readFile(path.join(dir, EVENT_LOG_FILE), 'utf8')).split('\n').slice(0, -1);
}

async function writeLines(ls: string[]): Promise<void> {
  await fs.writeFile(path.join(dir, EVENT_LOG_FILE), ls.map((l) => l + '\n').join(''));
}

describe('record', () => {
  it('assigns seq from 1 and the UTC time, and writes one sealed, chained line per record', async () => {
    const log = new EventLog(dir, vault);
    const t0 = Date.now();
    const r1 = await log.record({ actor: 'admin', action: 'users.add', target: 'Alice Andersson', details: { phone: '+46701234567' } });
    const r2 = await log.record({ actor: 'cli', action: 'kernel.unlock' });
    expect(r1).toMatchObject({ seq: 1, actor: 'admin', action: 'users.add', target: 'Alice Andersson', details: { phone: '+46701234567' } });
    expect(r2).toEqual({ seq: 2, time: r2.time, actor: 'cli', action: 'kernel.unlock' });
    expect(r1.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(Date.parse(r1.time)).toBeGreaterThanOrEqual(t0 - 1);
    expect(Date.parse(r2.time)).toBeLessThanOrEqual(Date.now());

    const raw = await fs.readFile(path.join(dir, EVENT_LOG_FILE), 'utf8');
    for (const clear of ['Alice', 'Andersson', '46701234567', 'users.add', 'admin']) expect(raw).not.toContain(clear);
    const [l1, l2] = (await lines()).map((l) => JSON.parse(l));
    expect(Object.keys(l1)).toEqual(['seq', 'prev', 'data', 'hash']);
    expect(l1.seq).toBe(1);
    expect(l1.prev).toBe('0'.repeat(64));
    expect(l2.prev).toBe(l1.hash);
    const expected = createHash('sha256').update(`keyward-eventlog-v1\n1\n${l1.prev}\n${l1.data}`).digest('hex');
    expect(l1.hash).toBe(expected);
    expect(JSON.parse(vault.open(l1.data))).toMatchObject({ seq: 1, prev: l1.prev, actor: 'admin', target: 'Alice Andersson' });
  });

  it('records the details as they were when called, even if the caller changes them while queued', async () => {
    const log = new EventLog(dir, vault);
    const details: JsonObject = { count: 1 };
    const busy = log.record({ actor: 'admin', action: 'first' });
    const pending = log.record({ actor: 'admin', action: 'a', details });
    details.count = 99;
    details.secret = 'added after the check';
    await busy;
    expect((await pending).details).toEqual({ count: 1 });
    expect((await log.list()).records[0]!.details).toEqual({ count: 1 });
    expect(await log.verify()).toEqual({ ok: true, records: 2 });
  });

  it('appends after reopening (new vault instance, new log instance) and keeps the chain', async () => {
    await fill(new EventLog(dir, vault), 10);
    vault.lock();
    const log = new EventLog(dir, await Vault.open(dir, PASS));
    const r = await log.record({ actor: 'admin', action: 'kernel.unlock' });
    expect(r.seq).toBe(11);
    expect(await log.verify()).toEqual({ ok: true, records: 11 });
    expect((await log.list({ limit: 1 })).records[0]!.seq).toBe(11);
  });

  it('100 parallel record() calls give seq 1..100 and an unbroken chain', async () => {
    const log = new EventLog(dir, vault);
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => log.record({ actor: 'admin', action: 'bulk', details: { i } })));
    expect(results.map((r) => r.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(await lines()).toHaveLength(100);
    expect(await log.verify()).toEqual({ ok: true, records: 100 });
    // Order in the file follows call order, since calls are queued.
    expect((await log.list({ limit: 100 })).records.map((r) => r.details!.i)).toEqual(Array.from({ length: 100 }, (_, i) => 99 - i));
  });

  it('refuses details keys that name secrets, at any depth, and appends nothing', async () => {
    const log = new EventLog(dir, vault);
    await log.record({ actor: 'admin', action: 'ok', details: { users: 3, identity: '2026-01\u0000tel:+4670', pvtCount: 1, keys: 2 } });
    const refused: JsonObject[] = [
      { passphrase: 'hunter2-value' },
      { crs: { sharedSecret: 'hunter2-value' } },
      { list: [{ SSK: 'hunter2-value' }] },
      { new_password: 'hunter2-value' },
      { rsk: 'hunter2-value' },
      { ksak: 'hunter2-value' },
      { z: 'hunter2-value' },
      { privateKey: 'hunter2-value' },
    ];
    for (const details of refused) {
      const err = await log.record({ actor: 'admin', action: 'bad', details }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(EventLogError);
      expect((err as EventLogError).code).toBe('E_SECRET_IN_DETAILS');
      expect((err as Error).message).not.toContain('hunter2');
    }
    expect(await lines()).toHaveLength(1);
  });

  it('refuses malformed records with E_INVALID_ARGS naming the field', async () => {
    const log = new EventLog(dir, vault);
    const cases: [unknown, RegExp][] = [
      [{ actor: '', action: 'a' }, /actor/],
      [{ actor: 'admin', action: 7 }, /action/],
      [{ actor: 'admin', action: 'a', target: 5 }, /target/],
      [{ actor: 'admin', action: 'a', details: [1] }, /details/],
      [{ actor: 'admin', action: 'a', details: { n: Number.NaN } }, /details\.n/],
      [{ actor: 'admin', action: 'a', details: { when: new Date() } }, /details\.when/],
      [{ actor: 'admin', action: 'a', details: { big: 'x'.repeat(20_000) } }, /exceed/],
    ];
    for (const [rec, field] of cases) {
      const err = await log.record(rec as never).catch((e: unknown) => e);
      expect((err as EventLogError).code).toBe('E_INVALID_ARGS');
      expect((err as Error).message).toMatch(field);
    }
    await expect(fs.stat(path.join(dir, EVENT_LOG_FILE))).rejects.toThrow(/ENOENT/);
  });

  it('a locked vault: record() fails with E_LOCKED and the file is unchanged', async () => {
    const log = new EventLog(dir, vault);
    await fill(log, 2);
    const before = await lines();
    vault.lock();
    const err = await log.record({ actor: 'admin', action: 'x' }).catch((e: unknown) => e);
    expect((err as VaultError).code).toBe('E_LOCKED');
    expect(await lines()).toEqual(before);
  });
});

describe('list', () => {
  it('newest first, with offset, limit, action filter and total', async () => {
    const log = new EventLog(dir, vault);
    await fill(log, 30);
    const all = await log.list();
    expect(all.total).toBe(30);
    expect(all.records.map((r) => r.seq)).toEqual(Array.from({ length: 30 }, (_, i) => 30 - i));
    const page = await log.list({ offset: 5, limit: 3 });
    expect(page).toMatchObject({ total: 30 });
    expect(page.records.map((r) => r.seq)).toEqual([25, 24, 23]);
    const adds = await log.list({ action: 'users.add', limit: 4, offset: 1 });
    expect(adds.total).toBe(15);
    expect(adds.records.map((r) => r.seq)).toEqual([28, 26, 24, 22]);
    expect(adds.records[0]).toMatchObject({ actor: 'admin', action: 'users.add', target: 'User 28', details: { i: 27 } });
    expect((await log.list({ offset: 40 })).records).toEqual([]);
    expect((await log.list({ action: 'nothing' })).total).toBe(0);
  });

  it('an empty or missing log lists nothing and verifies', async () => {
    const log = new EventLog(dir, vault);
    expect(await log.list()).toEqual({ total: 0, records: [] });
    expect(await log.verify()).toEqual({ ok: true, records: 0 });
  });

  it('rejects bad options with E_INVALID_ARGS', async () => {
    const log = new EventLog(dir, vault);
    for (const opts of [{ offset: -1 }, { offset: 1.5 }, { limit: 0 }, { limit: 1001 }, { action: 3 as unknown as string }]) {
      await expect(log.list(opts)).rejects.toMatchObject({ code: 'E_INVALID_ARGS' });
    }
  });

  it('sees records another instance appended to the same file', async () => {
    const a = new EventLog(dir, vault);
    const b = new EventLog(dir, vault);
    await fill(a, 3);
    expect((await b.list()).total).toBe(3);
    await fill(a, 2);
    expect((await b.record({ actor: 'cli', action: 'x' })).seq).toBe(6);
    expect(await a.verify()).toEqual({ ok: true, records: 6 });
  });
});

describe('verify', () => {
  const K = 25;

  it('50 records verify', async () => {
    const log = new EventLog(dir, vault);
    await fill(log, 50);
    expect(await log.verify()).toEqual({ ok: true, records: 50 });
  });

  it('changing any single byte of record 25 fails, naming record 25', async () => {
    const log = new EventLog(dir, vault);
    await fill(log, 50);
    const file = path.join(dir, EVENT_LOG_FILE);
    const original = await fs.readFile(file);
    const start = original.indexOf(Buffer.from(`{"seq":${K},`));
    const end = original.indexOf(0x0a, start); // the line's newline is part of the record too
    expect(start).toBeGreaterThan(0);
    let checked = 0;
    for (let at = start; at <= end; at++) {
      for (const mask of [0x01, 0x20]) {
        const bytes = Buffer.from(original);
        bytes[at] = bytes[at]! ^ mask;
        await fs.writeFile(file, bytes);
        const result = await log.verify();
        expect(result.ok, `byte ${at - start} ^ ${mask}`).toBe(false);
        expect(result.problem?.seq, `byte ${at - start} ^ ${mask}: ${result.problem?.reason}`).toBe(K);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(400);
    await fs.writeFile(file, original);
    expect((await log.verify()).ok).toBe(true);
  });

  it('edits that keep the JSON meaning (a space, an extra field, an escape) still fail, naming the record', async () => {
    const log = new EventLog(dir, vault);
    await fill(log, 50);
    const ls = await lines();
    const line = ls[K - 1]!;
    const edits = [line.replace('{"seq":', '{ "seq":'), line.replace(/}$/, ',"note":"ok"}'), line.replace('"prev"', '"\\u0070rev"')];
    for (const edited of edits) {
      expect(JSON.parse(edited).seq).toBe(K);
      await writeLines(ls.map((l, i) => (i === K - 1 ? edited : l)));
      expect(await log.verify()).toMatchObject({ ok: false, problem: { seq: K, reason: expect.stringMatching(/modified/) } });
    }
  });

  it('a deleted record is named by its seq', async () => {
    const log = new EventLog(dir, vault);
    await fill(log, 50);
    const ls = await lines();
    ls.splice(K - 1, 1);
    await writeLines(ls);
    const result = await log.verify();
    expect(result).toMatchObject({ ok: false, records: 49, problem: { seq: K } });
    expect(result.problem!.reason).toMatch(/record 25 is missing/);
  });

  it('reordered records are found', async () => {
    const log = new EventLog(dir, vault);
    await fill(log, 50);
    const ls = await lines();
    [ls[K - 1], ls[K]] = [ls[K]!, ls[K - 1]!];
    await writeLines(ls);
    expect(await log.verify()).toMatchObject({ ok: false, problem: { seq: K } });
  });

  it('a forger who deletes a record, then renumbers and rehashes the rest, is still caught', async () => {
    const log = new EventLog(dir, vault);
    await fill(log, 50);
    const ls = (await lines()).map((l) => JSON.parse(l));
    ls.splice(K - 1, 1);
    let prev = '0'.repeat(64);
    const forged = ls.map((l, i) => {
      const seq = i + 1;
      const hash = createHash('sha256').update(`keyward-eventlog-v1\n${seq}\n${prev}\n${l.data}`).digest('hex');
      const line = JSON.stringify({ seq, prev, data: l.data, hash });
      prev = hash;
      return line;
    });
    await writeLines(forged);
    const result = await log.verify();
    expect(result).toMatchObject({ ok: false, problem: { seq: K } });
    expect(result.problem!.reason).toMatch(/another place in the chain/);
  });

  it('an incomplete last line is reported; later appends start a new line and the damage stays reported', async () => {
    const log = new EventLog(dir, vault);
    await fill(log, 50);
    const file = path.join(dir, EVENT_LOG_FILE);
    const bytes = await fs.readFile(file);
    await fs.writeFile(file, bytes.subarray(0, bytes.length - 40));
    const result = await log.verify();
    expect(result).toMatchObject({ ok: false, records: 50, problem: { seq: 50 } });
    expect(result.problem!.reason).toMatch(/incomplete/);

    const reopened = new EventLog(dir, vault);
    const r = await reopened.record({ actor: 'admin', action: 'after-crash' });
    expect(r.seq).toBe(50); // continues from record 49, the last complete one
    expect(await reopened.verify()).toMatchObject({ ok: false, problem: { seq: 50 } });
    expect((await reopened.list({ limit: 1 })).records[0]).toMatchObject({ seq: 50, action: 'after-crash' });
  });

  it('records this session wrote that were cut off the end are reported', async () => {
    const log = new EventLog(dir, vault);
    await fill(log, 50);
    await writeLines((await lines()).slice(0, 45));
    const result = await log.verify();
    expect(result).toMatchObject({ ok: false, records: 45, problem: { seq: 46 } });
    expect(result.problem!.reason).toMatch(/46 to 50/);
  });

  it('a log sealed under another vault does not verify', async () => {
    await fill(new EventLog(dir, vault), 3);
    const otherDir = mkdtempSync(path.join(os.tmpdir(), 'kw-log-other-'));
    try {
      const other = await Vault.create(otherDir, PASS, { insecureTestKdf: true });
      const result = await new EventLog(dir, other).verify();
      expect(result).toMatchObject({ ok: false, problem: { seq: 1 } });
      expect(result.problem!.reason).toMatch(/cannot be opened/);
    } finally {
      rmSync(otherDir, { recursive: true, force: true });
    }
  });
});
