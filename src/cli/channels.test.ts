/** `keyward channels …`, run as the real binary on a temp data dir. */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initWithCli, runCli, tempDir } from './testing.js';

let root: { dir: string; remove: () => void };
let dataDir: string;
let passFile: string;

const kw = (...args: string[]) => runCli(['--data-dir', dataDir, '--passphrase-file', passFile, ...args]);

beforeAll(async () => {
  root = tempDir('kw-cli-channels-');
  dataDir = path.join(root.dir, 'data');
  expect((await initWithCli(dataDir, root.dir)).code).toBe(0);
  passFile = path.join(root.dir, 'passphrase.txt');
  for (const [first, mobile] of [['Ann', '+46701110001'], ['Ben', '+46701110002']]) {
    expect((await kw('users', 'add', '--first', first!, '--mobile', mobile!)).code).toBe(0);
  }
});
afterAll(() => root?.remove());

describe('keyward channels', () => {
  it('adds, lists, changes members and deletes, by name, with --json', async () => {
    const add = await kw('channels', 'add', 'Field Ops', '--json');
    expect(add.stderr).toBe('');
    const c = JSON.parse(add.stdout);
    expect(c).toMatchObject({ id: expect.stringMatching(/^[0-9a-f]{32}$/), name: 'Field Ops', members: [] });

    // One process at a time: two keyward processes on one data dir are not supported.
    const taken = await kw('channels', 'add', 'field ops');
    const unknown = await kw('channels', 'members', 'Field Ops', '--add', '+46709999999');
    const unconfirmed = await kw('channels', 'delete', 'Field Ops');
    expect(taken.code).toBe(1);
    expect(taken.stderr).toMatch(/^error \[E_NAME_IN_USE\]: name: a channel named "Field Ops" already exists/);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no user has the number \+46709999999; only existing users can be members/);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toContain('add --yes to confirm');

    const members = await kw('channels', 'members', 'Field Ops', '--add', '+46701110001', '--add', '+46701110002', '--json');
    expect(JSON.parse(members.stdout)).toMatchObject({ added: ['+46701110001', '+46701110002'], removed: [] });
    const removed = await kw('channels', 'members', c.id, '--remove', '+46701110001');
    expect(removed.stdout).toBe('Channel Field Ops: 0 added, 1 removed; 1 members. Changes take effect after the next crypto update.\n');

    const shown = await kw('channels', 'members', 'Field Ops');
    const list = await kw('channels', 'list');
    const listJson = await kw('channels', 'list', '--json');
    expect(shown.stdout).toBe(`Channel Field Ops (id ${c.id}), 1 members:\n+46701110002\n`);
    expect(list.stdout).toBe(`${c.id}       1  Field Ops\n(1 of at most 50 channels)\n`);
    expect(JSON.parse(listJson.stdout)).toMatchObject({ total: 1, limit: 50, channels: [{ id: c.id, memberCount: 1 }] });

    const del = await kw('channels', 'delete', 'Field Ops', '--yes', '--json');
    expect(JSON.parse(del.stdout)).toMatchObject({ id: c.id, name: 'Field Ops' });
    expect(JSON.parse((await kw('channels', 'list', '--json')).stdout)).toMatchObject({ total: 0 });
  });
});
