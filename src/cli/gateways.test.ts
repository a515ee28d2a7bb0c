/** `keyward gateways …`, run as the real binary on a temp data dir (letters through Chromium and pdftoppm). */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeEngineQr } from '../../plugins/gateways/engine-qr.js';
import { readQrPng } from '../../plugins/letters/qr-read.js';
import { initWithCli, runCli, tempDir } from './testing.js';

let root: { dir: string; remove: () => void };
let dataDir: string;
let passFile: string;

const kw = (...args: string[]) => runCli(['--data-dir', dataDir, '--passphrase-file', passFile, ...args]);

beforeAll(async () => {
  root = tempDir('kw-cli-gateways-');
  dataDir = path.join(root.dir, 'data');
  expect((await initWithCli(dataDir, root.dir)).code).toBe(0);
  passFile = path.join(root.dir, 'passphrase.txt');
  expect((await kw('users', 'add', '--first', 'John', '--last', 'Smith', '--mobile', '+46706764287')).code).toBe(0);
});
afterAll(() => root?.remove());

describe('keyward gateways', () => {
  it('refuses fewer than three engines and a user’s number, naming the reason', async () => {
    const few = await kw('gateways', 'add', '--name', 'CIG', '--number', '+8888', '--engines', '2', '--json');
    expect(few.code).not.toBe(0);
    expect(few.stderr).toMatch(/^error \[E_TOO_FEW_ENGINES\]: engines: it is not possible to assign less than three Crypto Engines to a single gateway/);
    const taken = await kw('gateways', 'add', '--name', 'CIG', '--number', '+46706764287', '--engines', '3');
    expect(taken.code).not.toBe(0);
    expect(taken.stderr).toContain('already in use by user +46706764287');
  });

  it('adds, lists, edits, writes letters and deletes a gateway', async () => {
    const added = await kw('gateways', 'add', '--name', 'CIG Kista', '--number', '+8888', '--engines', '3', '--json');
    expect(added.stderr).toBe('');
    const g = JSON.parse(added.stdout);
    expect(g).toMatchObject({ name: 'CIG Kista', number: '+8888' });

    const listed = JSON.parse((await kw('gateways', 'list', '--json')).stdout);
    expect(listed.gateways.map((x: { id: string }) => x.id)).toEqual([g.id]);
    expect((await kw('gateways', 'list')).stdout).toContain('+8888');

    const edited = await kw('gateways', 'edit', '+8888', '--engines', '4', '--name', 'CIG Solna', '--json');
    expect(edited.stderr).toBe('');
    expect(JSON.parse(edited.stdout)).toMatchObject({ gateway: { name: 'CIG Solna' }, revoked: [] });
    expect(JSON.parse(edited.stdout).added).toHaveLength(1);

    const first = g.engines[0]!.id;
    const replaced = JSON.parse((await kw('gateways', 'edit', '+8888', '--replace-engine', first, '--json')).stdout);
    expect(replaced.revoked).toEqual([first]);
    expect(replaced.gateway.engines.map((e: { id: string }) => e.id)).toEqual([replaced.added[0], ...JSON.parse(edited.stdout).gateway.engines.slice(1).map((e: { id: string }) => e.id)]);

    const out = path.join(root.dir, 'out');
    fs.mkdirSync(out);
    const letters = await kw('gateways', 'letters', g.id, '--out', out, '--json');
    expect(letters.stderr).toBe('');
    const pdf = path.join(out, 'gateway-+8888.pdf');
    expect(JSON.parse(letters.stdout)).toEqual({ files: [pdf] });
    execFileSync('pdftoppm', ['-r', '150', '-png', '-f', '4', '-l', '4', '-singlefile', pdf, path.join(out, 'page4')]);
    const d = decodeEngineQr(readQrPng(fs.readFileSync(path.join(out, 'page4.png'))));
    expect(d.engine).toMatchObject({ index: 4, count: 4 });
    expect(d.uri).toBe('tel:+8888');

    const deleted = await kw('gateways', 'delete', '+8888', '--yes', '--json');
    expect(deleted.stderr).toBe('');
    expect(JSON.parse(deleted.stdout).deleted[0].id).toBe(g.id);
    expect(JSON.parse((await kw('gateways', 'list', '--json')).stdout).gateways).toEqual([]);
  });

  it('needs a gateway and a destination for letters', async () => {
    expect((await kw('gateways', 'letters', '--print')).code).not.toBe(0);
    const none = await kw('gateways', 'letters', '+8888');
    expect(none.code).not.toBe(0);
    expect(none.stderr).toContain('exactly one of --out DIR, --print or --burn');
  });
});
