/** `keyward letters …`, run as the real binary on a temp data dir, with Chromium and pdftoppm. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIG_FILE } from '../kernel/index.js';
import { initWithCli, runCli, tempDir } from './testing.js';

let root: { dir: string; remove: () => void };
let dataDir: string;
let passFile: string;
const MOBILE = '+46706764287';

const kw = (...args: string[]) => runCli(['--data-dir', dataDir, '--passphrase-file', passFile, ...args]);

/** A fresh empty folder under the test root. */
function folder(name: string): string {
  const dir = path.join(root.dir, name);
  fs.mkdirSync(dir);
  return dir;
}

/** The first page of a PDF as a PNG file at 150 dpi. */
function firstPage(pdf: string): string {
  const prefix = pdf.replace(/\.pdf$/, '');
  execFileSync('pdftoppm', ['-r', '150', '-png', '-f', '1', '-l', '1', '-singlefile', pdf, prefix]);
  return `${prefix}.png`;
}

beforeAll(async () => {
  root = tempDir('kw-cli-letters-');
  dataDir = path.join(root.dir, 'data');
  expect((await initWithCli(dataDir, root.dir)).code).toBe(0);
  passFile = path.join(root.dir, 'passphrase.txt');
  expect((await kw('users', 'add', '--first', 'John', '--last', 'Smith', '--mobile', MOBILE)).code).toBe(0);
});
afterAll(() => root?.remove());

describe('keyward letters', () => {
  it('writes a letter into a folder; decode-qr reads its QR code back to keys that pass their checks', async () => {
    const out = folder('out');
    const made = await kw('letters', 'user', MOBILE, '--out', out);
    expect(made.stderr).toBe('');
    expect(made.code).toBe(0);
    const pdf = path.join(out, `initiation-${MOBILE}.pdf`);
    expect(made.stdout).toContain('they contain private keys');
    expect(made.stdout).toContain(pdf);
    expect(fs.statSync(pdf).mode & 0o777).toBe(0o600);

    const decoded = await runCli(['letters', 'decode-qr', firstPage(pdf), '--json']);
    expect(decoded.stderr).toBe('');
    const d = JSON.parse(decoded.stdout);
    expect(d).toMatchObject({
      version: 1,
      protected: false,
      uri: `tel:${MOBILE}`,
      securityDomain: 'Keyward Test Domain',
      crs: { address: 'crs.example.net', account: 'DEMOACCOUNT_1' },
      checks: { ssk: true, rsk: true },
    });
    expect(d.ssk).toMatch(/^[0-9a-f]{64}$/);
    expect(d.rsk).toMatch(/^04[0-9a-f]{512}$/);
    const domain = JSON.parse((await kw('domain', 'show', '--json')).stdout);
    expect([d.kpak, d.z]).toEqual([domain.kpak, domain.z]);
  });

  it('never replaces a file: a letter already in the folder fails before anything is written', async () => {
    const out = folder('again');
    fs.writeFileSync(path.join(out, `initiation-${MOBILE}.pdf`), 'older letter');
    const r = await kw('letters', 'user', MOBILE, '--out', out);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error \[E_FILE\]: .*initiation-\+46706764287\.pdf: exists already; nothing was written\n$/);
    expect(fs.readFileSync(path.join(out, `initiation-${MOBILE}.pdf`), 'utf8')).toBe('older letter');
  });

  it('asks for exactly one destination and at least one number', async () => {
    const none = await kw('letters', 'user', MOBILE);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('exactly one of --out DIR, --print or --burn');
    expect((await kw('letters', 'user', MOBILE, '--print', '--burn')).code).toBe(2);
    const noNumber = await kw('letters', 'user', '--print');
    expect(noNumber.code).toBe(2);
    expect(noNumber.stderr).toContain("needs one or more users' numbers");
  });

  it('names an unknown number', async () => {
    const r = await kw('letters', 'user', MOBILE, '+1555', '--out', folder('unknown'));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error [E_NOT_FOUND]: mobiles: no user has the number +1555\n');
    expect(fs.readdirSync(path.join(root.dir, 'unknown'))).toEqual([]);
  });

  it('burns and prints through the default devices plugin (folders in the data dir’s outbox)', async () => {
    const burned = await kw('letters', 'user', MOBILE, '--burn', '--json');
    expect(burned.stderr).toBe('');
    const r = JSON.parse(burned.stdout);
    expect(r).toMatchObject({ verified: true, written: [`initiation-${MOBILE}.pdf`] });
    expect(r.destination).toBe(path.join(dataDir, 'outbox', 'burn', r.volumeLabel));
    expect(fs.readFileSync(path.join(r.destination, `initiation-${MOBILE}.pdf`)).subarray(0, 5).toString()).toBe('%PDF-');
    const printed = await kw('letters', 'user', MOBILE, '--print', '--combined');
    expect(printed.stdout).toBe(`Printed 1 letter file(s) on ${path.join(dataDir, 'outbox', 'print')}.\n`);
  });

  it('with QR protection on, decode-qr needs the QR code key from User Details', async () => {
    fs.writeFileSync(path.join(dataDir, CONFIG_FILE), JSON.stringify({ flags: { 'letters.qrEncryption': true } }));
    const out = folder('protected');
    expect((await kw('letters', 'user', MOBILE, '--out', out)).code).toBe(0);
    const png = firstPage(path.join(out, `initiation-${MOBILE}.pdf`));

    const needed = await runCli(['letters', 'decode-qr', png]);
    expect(needed.code).toBe(1);
    expect(needed.stderr).toContain('error [E_QR_KEY_NEEDED]');
    const key = JSON.parse((await kw('users', 'show', MOBILE, '--json')).stdout).qrCodeKey as string;
    const wrongKey = (key[0] === '0' ? '1' : '0') + key.slice(1);
    const wrong = await runCli(['letters', 'decode-qr', png, '--qr-key', wrongKey]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toBe('error [E_QR_KEY]: QR payload, qrCodeKey: the QR code key does not open this QR code (wrong key, or the code was altered)\n');
    expect((await runCli(['letters', 'decode-qr', png, '--qr-key', 'abc'])).code).toBe(2);

    const ok = await runCli(['letters', 'decode-qr', png, '--qr-key', key, '--json']);
    expect(ok.stderr).toBe('');
    expect(JSON.parse(ok.stdout)).toMatchObject({ protected: true, uri: `tel:${MOBILE}`, checks: { ssk: true, rsk: true } });
  });

  it('decode-qr names a file that is missing or holds no QR code', async () => {
    const missing = await runCli(['letters', 'decode-qr', path.join(root.dir, 'nope.png')]);
    expect(missing.stderr).toMatch(/^error \[E_FILE\]: .*nope\.png: no such file\n$/);
    const notPng = path.join(root.dir, 'text.png');
    fs.writeFileSync(notPng, 'text');
    expect((await runCli(['letters', 'decode-qr', notPng])).stderr).toContain('text.png: is not a PNG image');
  });
});
