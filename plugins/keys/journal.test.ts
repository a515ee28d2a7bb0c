import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { JOURNAL_FILE, Journal, type JournaledFile } from './journal.js';

let dir: string;
beforeEach(() => void (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kw-journal-'))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const at = (f: string) => path.join(dir, f);
const reloads: string[] = [];
const file = (name: string): JournaledFile => ({ file: name, reload: async () => void reloads.push(name) });

describe('Journal', () => {
  it('commits: the changes stay and nothing of the journal is left', async () => {
    fs.writeFileSync(at('a.db'), 'old a\n');
    await new Journal(dir).run([file('a.db'), file('new.db')], async () => {
      fs.appendFileSync(at('a.db'), 'more\n');
      fs.writeFileSync(at('new.db'), 'created\n');
    });
    expect(fs.readFileSync(at('a.db'), 'utf8')).toBe('old a\nmore\n');
    expect(fs.readdirSync(dir).sort()).toEqual(['a.db', 'new.db']);
  });

  it('a write that throws puts every file back (a created one is removed) and reloads them', async () => {
    fs.writeFileSync(at('a.db'), 'old a\n');
    reloads.length = 0;
    const run = new Journal(dir).run([file('a.db'), file('new.db')], async () => {
      fs.appendFileSync(at('a.db'), 'half');
      fs.writeFileSync(at('new.db'), 'created\n');
      throw new Error('failed part-way');
    });
    await expect(run).rejects.toThrow('failed part-way');
    expect(fs.readdirSync(dir)).toEqual(['a.db']);
    expect(fs.readFileSync(at('a.db'), 'utf8')).toBe('old a\n');
    expect(reloads).toEqual(['a.db', 'new.db']);
  });

  it('recover() after a crash mid-write restores the files, as the next start does', async () => {
    fs.writeFileSync(at('a.db'), 'old a\n');
    fs.writeFileSync(at('b.db'), 'old b\n');
    let crash!: () => void;
    const stuck = new Journal(dir).run([file('a.db'), file('b.db')], async () => {
      fs.appendFileSync(at('a.db'), 'torn lin');
      await new Promise<void>((resolve) => (crash = resolve));
      throw new Error('never got further');
    });
    await vi.waitFor(() => expect(typeof crash === 'function' && fs.existsSync(at(JOURNAL_FILE))).toBe(true));
    // What a killed process leaves behind, read by a fresh process:
    expect(await new Journal(dir).recover()).toEqual({ rolledBack: ['a.db', 'b.db'] });
    expect(fs.readFileSync(at('a.db'), 'utf8')).toBe('old a\n');
    expect(fs.readFileSync(at('b.db'), 'utf8')).toBe('old b\n');
    expect(fs.readdirSync(dir).sort()).toEqual(['a.db', 'b.db']);
    crash();
    await expect(stuck).rejects.toThrow('never got further');
  });

  it('recover() without a journal removes stray copies only', async () => {
    fs.writeFileSync(at('a.db'), 'current\n');
    fs.writeFileSync(at('.a.db.rollback'), 'stale copy\n');
    expect(await new Journal(dir).recover()).toEqual({ rolledBack: [] });
    expect(fs.readdirSync(dir)).toEqual(['a.db']);
    expect(fs.readFileSync(at('a.db'), 'utf8')).toBe('current\n');
  });

  it('runs writes one at a time', async () => {
    const journal = new Journal(dir);
    const order: string[] = [];
    const slow = journal.run([file('a.db')], async () => {
      order.push('first start');
      await new Promise((r) => setTimeout(r, 30));
      order.push('first end');
    });
    const fast = journal.run([file('a.db')], async () => void order.push('second'));
    await Promise.all([slow, fast]);
    expect(order).toEqual(['first start', 'first end', 'second']);
  });
});
