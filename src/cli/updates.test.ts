/** `keyward update …`, run as the real binary on a temp data dir. */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kernel, definePlugin } from '../kernel/index.js';
import { builtinPlugins } from '../../plugins/index.js';
import { IUsers } from '../../plugins/users/tokens.js';
import { INIT_VALUES, initWithCli, runCli, secretFile, tempDir } from './testing.js';

let root: { dir: string; remove: () => void };
let dataDir: string;
let passFile: string;
let out: string;
let updateKey: string;

const kw = (...args: string[]) => runCli(['--data-dir', dataDir, '--passphrase-file', passFile, ...args]);

beforeAll(async () => {
  root = tempDir('kw-cli-update-');
  dataDir = path.join(root.dir, 'data');
  expect((await initWithCli(dataDir, root.dir)).code).toBe(0);
  passFile = path.join(root.dir, 'passphrase.txt');
  expect((await kw('users', 'add', '--first', 'John', '--last', 'Smith', '--mobile', '+46706764287')).code).toBe(0);
  // The update key reaches the phone in its letter; here it is read from the data dir directly.
  let users: IUsers | undefined;
  const probe = definePlugin({ id: 'probe', requires: { users: IUsers }, activate: (_c, d) => void (users = d.users) });
  const kernel = await Kernel.create({ dataDir, plugins: [...builtinPlugins, probe] });
  await kernel.commands.execute('kernel.unlock', { passphrase: INIT_VALUES.passphrase });
  updateKey = Buffer.from(users!.get('+46706764287')!.updateKey).toString('hex');
  await kernel.stop();
  out = path.join(root.dir, 'out');
  fs.mkdirSync(out);
}, 120_000);
afterAll(() => root?.remove());

describe('keyward update', () => {
  it('generates into a folder and inspects the file, with the CRS secret file alone and with the data dir', async () => {
    const gen = await kw('update', 'generate', '--out', out, '--json');
    expect(gen.stderr).toBe('');
    const r = JSON.parse(gen.stdout);
    expect(r).toMatchObject({ endpoints: 1, users: 1, blocked: 0, file: expect.stringContaining(out) });
    expect((await kw('update', 'generate', '--out', out)).stdout).toMatch(/Send it to the CRS before \d{4}-\d\d-\d\d/);

    const secret = secretFile(root.dir, 'crs.txt', INIT_VALUES.crsSecret);
    // No data dir at all: what the CRS side would run.
    const crsSide = await runCli(['update', 'inspect', r.file, '--crs-secret-file', secret, '--json']);
    expect(crsSide.stderr).toBe('');
    const seen = JSON.parse(crsSide.stdout);
    expect(seen.crs).toMatchObject({ account: INIT_VALUES.crsAccount, months: r.months, blocked: [], endpoints: [{ id: 'tel:+46706764287', kind: 'user', generation: 1 }] });
    expect(seen.entry).toBeUndefined();

    const entry = await kw('update', 'inspect', r.file, '--uri', '+46706764287', '--update-key', updateKey, '--json');
    expect(entry.stderr).toBe('');
    const e = JSON.parse(entry.stdout).entry;
    expect(e.valid).toBe(true);
    expect(e.checks.map((c: { month: string }) => c.month)).toEqual(r.months);
    expect(e.checks[0].rsk).toMatch(/^04[0-9a-f]{512}$/);
    expect((await kw('update', 'inspect', r.file, '--uri', '+46706764287', '--update-key', updateKey)).stdout).toContain('every key checks');
  }, 120_000);

  it('fails with exit 1 on a changed file or a wrong key, and 2 on bad usage', async () => {
    const file = path.join(out, fs.readdirSync(out)[0]!);
    const changed = path.join(root.dir, 'changed.kwu');
    const bytes = fs.readFileSync(file);
    bytes[bytes.length >> 1] ^= 0x40;
    fs.writeFileSync(changed, bytes);
    const bad = await kw('update', 'inspect', changed);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^error \[E_UPDATE_AUTH\]/);
    const wrong = await kw('update', 'inspect', file, '--uri', '+46706764287', '--update-key', '0'.repeat(32));
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/^error \[E_UPDATE_KEY\]/);
    expect((await kw('update', 'inspect', file, '--uri', '+46706764287')).code).toBe(2);
    expect((await kw('update', 'generate', '--out', out, '--burn')).code).toBe(2);
    expect((await kw('update', 'deadline', '--month', '2013-05')).stdout).toContain('before 2013-04-27');
  }, 120_000);

  it('writes the calendar reminder', async () => {
    const cal = await kw('update', 'calendar', '--out', out, '--json');
    expect(cal.stderr).toBe('');
    expect(fs.readFileSync(JSON.parse(cal.stdout).file, 'utf8')).toContain('RRULE:FREQ=MONTHLY;BYMONTHDAY=-4');
  });
});
