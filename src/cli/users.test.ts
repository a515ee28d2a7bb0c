/** `keyward users …` and `keyward keys export`, run as the real binary on a temp data dir. */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeEccsiPoint, decodeSakkePoint, hexToBytes } from '../crypto/index.js';
import { initWithCli, runCli, tempDir } from './testing.js';

let root: { dir: string; remove: () => void };
let dataDir: string;
let passFile: string;
const month = new Date().toISOString().slice(0, 7);

/** Run keyward on the test data dir with the passphrase file. */
const kw = (...args: string[]) => runCli(['--data-dir', dataDir, '--passphrase-file', passFile, ...args]);

beforeAll(async () => {
  root = tempDir('kw-cli-users-');
  dataDir = path.join(root.dir, 'data');
  expect((await initWithCli(dataDir, root.dir)).code).toBe(0);
  passFile = path.join(root.dir, 'passphrase.txt');
});
afterAll(() => root?.remove());

describe('keyward users', () => {
  it('adds, lists and shows users, refusing bad fields with the field named', async () => {
    const add = await kw('users', 'add', '--first', 'John', '--last', 'Doe', '--mobile', '+44 777 666 555', '--comment', 'Project Alpha', '--json');
    expect(add.stderr).toBe('');
    expect(JSON.parse(add.stdout)).toMatchObject({ mobile: '+44777666555', firstName: 'John', compromised: false, lines: [] });

    const [bad, missing] = await Promise.all([
      kw('users', 'add', '--first', 'Ann', '--mobile', '0701234567'),
      kw('users', 'add', '--first', 'Ann'),
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^error \[E_INVALID_FIELD\]: mobile: must be in international format/);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('keyward users add needs --mobile');

    const [list, show, human] = await Promise.all([kw('users', 'list', '--json'), kw('users', 'show', '+44777666555', '--json'), kw('users', 'list')]);
    expect(JSON.parse(list.stdout)).toMatchObject({ total: 1, userLimit: null, users: [{ mobile: '+44777666555' }] });
    const details = JSON.parse(show.stdout);
    expect(details).toMatchObject({ puk: expect.stringMatching(/^\d{8}$/), period: month, keyPeriods: [month, expect.any(String)] });
    // No letters plugin declares letters.qrEncryption here: QR protection is off, so no QR code key is shown.
    expect(details).not.toHaveProperty('qrCodeKey');
    expect(human.stdout).toBe('+44777666555  John Doe  (Project Alpha)\n(1 users)\n');
  });

  it('imports all or nothing, printing every bad line with its number and column', async () => {
    const bad = path.join(root.dir, 'bad.txt');
    fs.writeFileSync(bad, 'Ann\tA\t+46701111111\t\nBen\tB;\t+46701111112\t\nCid\tC\t+44777666555\t\n');
    const run = await kw('users', 'import', bad);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(
      `${bad}:2, column 2: last name must not contain ; (" , ' ; and tab are not allowed)\n` +
        `${bad}:3, column 3: +44777666555 is already in use by user +44777666555\n`,
    );
    expect(run.stderr).toMatch(/^error \[E_IMPORT_INVALID\]: .*2 problem\(s\) found; nothing was imported/);
    const asJson = await kw('users', 'import', bad, '--json');
    expect(JSON.parse(asJson.stdout).errors).toHaveLength(2);
    expect(JSON.parse((await kw('users', 'list', '--json')).stdout).total).toBe(1);

    const good = path.join(root.dir, 'good.txt');
    fs.writeFileSync(good, 'Ann\tA\t+46701111111\t\r\nBen\tB\t+46701111112\tsecond\r\n');
    const ok = await kw('users', 'import', good);
    expect(ok.stdout).toBe(`Imported 2 users from ${good}.\n`);
    expect((await kw('users', 'import', path.join(root.dir, 'none.txt'))).stderr).toMatch(/^error \[E_FILE\]: .*none\.txt: no such file/);
  });

  it('exports the chosen users (--uri repeatable) as TSV', async () => {
    const file = path.join(root.dir, 'out.txt');
    const run = await kw('users', 'export', file, '--uri', 'tel:+46701111112', '--uri', '+44777666555', '--json');
    expect(JSON.parse(run.stdout)).toEqual({ file, users: 2 });
    expect(fs.readFileSync(file, 'utf8')).toBe('Ben\tB\t+46701111112\tsecond\nJohn\tDoe\t+44777666555\tProject Alpha\n');
  });

  it('keys export prints the hex key set, needs the passphrase and is in the event log', async () => {
    const run = await kw('keys', 'export', '--uri', 'tel:+46701111111', '--period', month, '--json');
    expect(run.stderr).toBe('');
    const keys = JSON.parse(run.stdout) as Record<string, string>;
    expect(Object.keys(keys).sort()).toEqual(['identity', 'pvt', 'rsk', 'ssk']);
    expect(Buffer.from(keys.identity!, 'hex').toString('latin1')).toBe(`${month}\0tel:+46701111111\0`);
    expect(() => decodeEccsiPoint(hexToBytes(keys.pvt!), 'PVT')).not.toThrow();
    expect(() => decodeSakkePoint(hexToBytes(keys.rsk!), 'RSK')).not.toThrow();
    expect(keys.rsk).toMatch(/^04/);

    const log = JSON.parse((await kw('log', 'list', '--action', 'keys.export', '--json')).stdout);
    expect(log.records[0]).toMatchObject({ actor: 'cli', action: 'keys.export', target: 'tel:+46701111111', details: { period: month } });
    expect(JSON.stringify(log)).not.toContain(keys.ssk);

    const wrong = path.join(root.dir, 'wrong.txt');
    fs.writeFileSync(wrong, 'not the passphrase\n');
    const [refused, noPeriod] = await Promise.all([
      runCli(['--data-dir', dataDir, '--passphrase-file', wrong, 'keys', 'export', '--uri', 'tel:+46701111111', '--period', month]),
      kw('keys', 'export', '--uri', 'tel:+46701111111'),
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^error \[E_WRONG_PASSPHRASE\]/);
    expect(refused.stdout).toBe('');
    expect(noPeriod.code).toBe(2);
  });

  it('destroy-keys and delete are confirmed with --yes and change the user', async () => {
    const unconfirmed = await kw('users', 'delete', '+46701111112');
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toContain('add --yes to confirm');

    const destroy = await kw('users', 'destroy-keys', '+46701111111', '--yes', '--json');
    expect(JSON.parse(destroy.stdout)).toEqual({ count: 1 });
    expect(JSON.parse((await kw('users', 'show', '+46701111111', '--json')).stdout)).toMatchObject({ compromised: true });

    expect((await kw('users', 'delete', '+46701111112', '--yes')).stdout).toBe('Deleted +46701111112 and its keys.\n');
    const gone = await kw('users', 'show', '+46701111112');
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/^error \[E_NOT_FOUND\]/);
  });
});
