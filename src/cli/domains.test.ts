/**
 * Two Keyward installations pair with each other through the real `keyward` binary: A's
 * certificate PDF (Chromium) → pdftoppm → PNG → B adds it by image; B's rows → A adds them by rows.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INIT_VALUES, initWithCli, runCli, tempDir } from './testing.js';

let root: { dir: string; remove: () => void };
const dirs = { A: '', B: '' };
let passFile: string;
const kw = (who: 'A' | 'B', ...args: string[]) => runCli(['--data-dir', dirs[who], '--passphrase-file', passFile, ...args]);
const json = async (who: 'A' | 'B', ...args: string[]) => {
  const r = await kw(who, ...args, '--json');
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
};

beforeAll(async () => {
  root = tempDir('kw-cli-domains-');
  for (const who of ['A', 'B'] as const) {
    dirs[who] = path.join(root.dir, who);
    const secrets = path.join(root.dir, `secrets-${who}`);
    fs.mkdirSync(secrets);
    expect((await initWithCli(dirs[who], secrets, { ...INIT_VALUES, securityDomain: `Domain ${who}` })).code).toBe(0);
    passFile = path.join(secrets, 'passphrase.txt');
  }
});
afterAll(() => root?.remove());

describe('keyward domain certificate|rows, peers', () => {
  it('pairs A and B: by the QR code of a printed PDF one way, by typed rows the other', async () => {
    const out = path.join(root.dir, 'out');
    fs.mkdirSync(out);
    const made = await json('A', 'domain', 'certificate', '--out', out);
    expect(made.file).toBe(path.join(out, `domain-certificate-${made.id.replace(' ', '')}.pdf`));
    execFileSync('pdftoppm', ['-r', '150', '-png', '-f', '1', '-l', '1', '-singlefile', made.file, path.join(out, 'a')]);

    // Without a terminal to ask on, adding needs --yes: nothing is added.
    const unconfirmed = await kw('B', 'peers', 'add', '--image', path.join(out, 'a.png'));
    expect(unconfirmed.code).not.toBe(0);
    expect(unconfirmed.stderr).toContain('--yes');
    expect(await json('B', 'peers', 'list')).toEqual([]);

    const addedA = await json('B', 'peers', 'add', '--image', path.join(out, 'a.png'), '--yes');
    expect(addedA).toMatchObject({ securityDomain: 'Domain A', id: made.id, fingerprint: made.fingerprint });

    const b = await json('B', 'domain', 'certificate');
    expect(await json('B', 'domain', 'rows')).toEqual(b.rows);
    const rowsFile = path.join(out, 'b-rows.txt');
    fs.writeFileSync(rowsFile, b.rows.join('\n') + '\n');
    const addedB = await json('A', 'peers', 'add', '--rows', rowsFile, '--yes');
    expect(addedB).toMatchObject({ securityDomain: 'Domain B', id: b.id, fingerprint: b.fingerprint });

    const a = await json('A', 'domain', 'certificate');
    expect(a.fingerprint).toBe(made.fingerprint);
    expect((await json('A', 'peers', 'list')).map((p: any) => [p.securityDomain, p.fingerprint])).toEqual([['Domain B', b.fingerprint]]);
    expect((await json('B', 'peers', 'list')).map((p: any) => [p.securityDomain, p.fingerprint])).toEqual([['Domain A', a.fingerprint]]);
  });

  it('names the row that is wrong in a rows file and adds nothing', async () => {
    const b = await json('B', 'domain', 'certificate');
    const rows = [...b.rows] as string[];
    // "05: ABCD …": position 9 is the second data character.
    rows[4] = rows[4]!.slice(0, 9) + (rows[4]![9] === 'A' ? 'B' : 'A') + rows[4]!.slice(10);
    const file = path.join(root.dir, 'bad-rows.txt');
    fs.writeFileSync(file, rows.join('\n'));
    const r = await kw('A', 'peers', 'add', '--rows', file, '--yes');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('Row 5: the checksum does not match');
  });

  it('burns the certificate (verified) and never replaces a file in --out', async () => {
    const burned = await json('A', 'domain', 'certificate', '--burn');
    expect(burned).toMatchObject({ verified: true, written: [expect.stringMatching(/^domain-certificate-[0-9A-F]{8}\.pdf$/)] });
    const out = path.join(root.dir, 'out');
    const again = await kw('A', 'domain', 'certificate', '--out', out);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('exists already; nothing was written');
    expect((await kw('A', 'domain', 'certificate', '--print', '--burn')).code).toBe(2);
  });

  it('deletes a peer by its Id after --yes', async () => {
    const [peer] = await json('A', 'peers', 'list');
    const refused = await kw('A', 'peers', 'delete', peer.id);
    expect(refused.code).not.toBe(0);
    expect(await json('A', 'peers', 'list')).toHaveLength(1);
    expect(await json('A', 'peers', 'delete', peer.id, '--yes')).toMatchObject({ fingerprint: peer.fingerprint });
    expect(await json('A', 'peers', 'list')).toEqual([]);
  });
});
