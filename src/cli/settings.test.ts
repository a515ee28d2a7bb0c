/** `keyward settings …`, run as the real binary on a temp data dir. */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initWithCli, INIT_VALUES, runCli, secretFile, tempDir } from './testing.js';

let root: { dir: string; remove: () => void };
let dataDir: string;
let passFile: string;

const kw = (...args: string[]) => runCli(['--data-dir', dataDir, '--passphrase-file', passFile, ...args]);
const show = async () => JSON.parse((await kw('settings', 'show', '--json')).stdout);
/**
 * What a refused command must leave as it was: the settings and the event log. (The data files'
 * bytes change on any unlock: nedb rewrites them on load, under fresh IVs.)
 */
const state = async () => {
  const log = JSON.parse((await kw('log', 'list', '--limit', '1000', '--json')).stdout) as { records: { action: string }[] };
  return { settings: await show(), changes: log.records.filter((r) => r.action.startsWith('settings.')) };
};

beforeAll(async () => {
  root = tempDir('kw-cli-settings-');
  dataDir = path.join(root.dir, 'data');
  expect((await initWithCli(dataDir, root.dir)).code).toBe(0);
  passFile = path.join(root.dir, 'passphrase.txt');
});
afterAll(() => root?.remove());

// Each step is a separate process (a few seconds on a busy machine).
describe('keyward settings', { timeout: 240_000 }, () => {
  it('shows the settings without the shared secret', async () => {
    const human = await kw('settings', 'show');
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('CRS address: crs.example.net\nCRS account: DEMOACCOUNT_1\n');
    expect(human.stdout).toContain('Message lifetime: off\n');
    expect(human.stdout).toContain('Channels: on\n');
    expect(human.stdout).toContain('QR protection: off (deployment default, flag letters.qrEncryption)\n');
    expect(human.stdout).toContain('Log to the OS event log: off\n');
    expect(human.stdout).toMatch(/CRS history \(oldest first\):\n {2}\d{4}-\d\d-\d\dT[\d:.]+Z {2}setup {3}crs\.example\.net {2}DEMOACCOUNT_1\n/);
    const s = await show();
    expect(s).toMatchObject({
      crs: { address: 'crs.example.net', account: 'DEMOACCOUNT_1', secretSet: true },
      features: { messageLifetime: null, authorisedIntercept: false, multipath: false, channels: true, qrProtection: false },
      osLog: false,
    });
    expect(human.stdout + JSON.stringify(s)).not.toContain(INIT_VALUES.crsSecret);
  });

  it('sets the manual’s message lifetime only with --yes, naming the blocked client versions otherwise', async () => {
    const before = await state();
    const refused = await kw('settings', 'set', '--message-lifetime-max', '30d', '--message-lifetime-default', '12h');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      'error [E_CONFIRM]: switching on Message lifetime blocks CCA-i <3.18.0, CCA-a <3.19.0, CCA-w <3.6.0, CIG <2.5.0 from using any part of the system; ' +
        'nothing was changed: add --yes to confirm\n',
    );
    expect(await state()).toEqual(before);

    const done = await kw('settings', 'set', '--message-lifetime-max', '30d', '--message-lifetime-default', '12h', '--yes', '--json');
    expect(done.stderr).toBe('');
    expect(JSON.parse(done.stdout)).toMatchObject({ features: { messageLifetime: { maxSeconds: 2_592_000, defaultSeconds: 43_200 } } });
    expect((await kw('settings', 'show')).stdout).toContain('Message lifetime: maximum 30d, default 12h\n');

    // Already on: a new default alone needs no --yes and keeps the maximum.
    const def = await kw('settings', 'set', '--message-lifetime-default', '6h');
    expect(def.stdout).toBe('Changed messageLifetime. Devices receive the settings with the next monthly update.\n');
    expect((await show()).features.messageLifetime).toEqual({ maxSeconds: 2_592_000, defaultSeconds: 21_600 });
    expect((await kw('settings', 'set', '--message-lifetime', 'off')).code).toBe(0);
    expect((await show()).features.messageLifetime).toBeNull();
  });

  it('switches intercept (asking), multipath, channels and QR protection', async () => {
    const refused = await kw('settings', 'set', '--intercept', 'on', '--multipath', 'on');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Authorized intercept with minimal key exposure blocks CCA-i <3.19.0, CCA-a <3.20.0, CCA-w <3.7.0, CIG <2.8.0');
    expect((await show()).features.multipath).toBe(false);
    const ok = await kw('settings', 'set', '--intercept', 'on', '--multipath', 'on', '--channels', 'off', '--qr-protection', 'on', '--yes', '--json');
    expect(JSON.parse(ok.stdout)).toMatchObject({
      features: { authorisedIntercept: true, multipath: true, channels: false, qrProtection: true },
      qrProtectionSet: true,
      changed: { authorisedIntercept: true, multipath: true, channels: false, qrProtection: true },
    });
    expect((await kw('settings', 'set', '--multipath', 'on')).stdout).toBe('Nothing changed: the settings were already so.\n');
  });

  it('refuses bad lines with exit 2 and bad values with exit 1 naming the field, changing nothing', async () => {
    const before = await state();
    const usage: [string[], string][] = [
      [['settings', 'set'], 'needs at least one setting'],
      [['settings', 'set', '--intercept', 'yes'], '--intercept must be on or off, not "yes"'],
      [['settings', 'set', '--message-lifetime-max', '30 days'], '--message-lifetime-max must be a duration such as 30d, 12h, 90m or 3600s'],
      [['settings', 'set', '--message-lifetime', '30d'], '--message-lifetime takes only "off"'],
      [['settings', 'set', '--message-lifetime', 'off', '--message-lifetime-max', '1d'], 'cannot go with'],
      [['settings', 'set', '--message-lifetime-default', '1h'], 'message lifetime is off: give --message-lifetime-max too'],
      [['settings', 'crs'], 'needs --address, --account or --secret-file'],
    ];
    for (const [args, message] of usage) {
      const r = await kw(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(message);
    }
    const values: [string[], string][] = [
      [['settings', 'set', '--message-lifetime-max', '59m', '--yes'], 'error [E_INVALID_ARGS]: messageLifetime.maxSeconds: must be a whole number of seconds from 3600 (1 hour) to 31536000 (365 days)'],
      [['settings', 'set', '--message-lifetime-max', '366d', '--yes'], 'messageLifetime.maxSeconds'],
      [['settings', 'set', '--message-lifetime-max', '1d', '--message-lifetime-default', '2d', '--yes'], 'messageLifetime.defaultSeconds: must be a whole number of seconds from 3600 (1 hour) up to the maximum, 86400 (1 day)'],
      [['settings', 'crs', '--address', 'http://crs.example.org', '--yes'], 'error [E_INVALID_ARGS]: crs.address:'],
      [['settings', 'crs', '--secret-file', path.join(root.dir, 'missing.txt'), '--yes'], 'error [E_FILE]: --secret-file'],
    ];
    for (const [args, message] of values) {
      const r = await kw(...args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toContain(message);
    }
    expect(await state()).toEqual(before);
  });

  it('changes the CRS after the migration warning, keeping the history without the secret', async () => {
    const newSecret = 'migrated-shared-secret-42';
    const file = secretFile(root.dir, 'new-crs-secret.txt', newSecret);
    const before = await state();
    const refused = await kw('settings', 'crs', '--address', 'crs2.example.org', '--account', 'NEW_ACCOUNT', '--secret-file', file);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('error [E_CONFIRM]: Changing the CRS to crs2.example.org (account NEW_ACCOUNT): Users added after the change are directed to the new CRS at once');
    expect(await state()).toEqual(before);

    const done = await kw('settings', 'crs', '--address', 'crs2.example.org', '--account', 'NEW_ACCOUNT', '--secret-file', file, '--yes');
    expect(done.code).toBe(0);
    expect(done.stdout).toContain('The CRS is now crs2.example.org (account NEW_ACCOUNT). Users added after the change');
    // Only the address: account and secret stay.
    expect((await kw('settings', 'crs', '--address', '192.0.2.7', '--yes')).code).toBe(0);
    const s = await show();
    expect(s.crs).toEqual({ address: '192.0.2.7', account: 'NEW_ACCOUNT', secretSet: true });
    expect(s.crsHistory.map((h: { address: string; account: string; kind: string; secretReplaced: boolean }) => [h.kind, h.address, h.account, h.secretReplaced])).toEqual([
      ['setup', 'crs.example.net', 'DEMOACCOUNT_1', false],
      ['change', 'crs2.example.org', 'NEW_ACCOUNT', true],
      ['change', '192.0.2.7', 'NEW_ACCOUNT', false],
    ]);
    const log = await kw('log', 'list', '--json');
    expect(log.stdout + JSON.stringify(s)).not.toContain(newSecret);
    const revealed = JSON.parse((await kw('run', 'settings.revealCrsSecret', '--json')).stdout);
    expect(revealed).toEqual({ secret: newSecret });
  });
});
