/** The real `keyward` binary, run as a child process on temp data dirs. */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeEccsiPoint, decodeSakkePoint, hexToBytes } from '../crypto/index.js';
import { INIT_VALUES, hashDir, initWithCli, runCli, secretFile, tempDir } from './testing.js';

let root: { dir: string; remove: () => void };
let dataDir: string;
let passFile: string;

/** A private copy of the initialised data dir for tests that change it. */
function copyOfData(name: string): string {
  const copy = path.join(root.dir, name);
  fs.cpSync(dataDir, copy, { recursive: true });
  return copy;
}

beforeAll(async () => {
  root = tempDir('kw-cli-');
  dataDir = path.join(root.dir, 'data'); // does not exist yet: init creates it
  const init = await initWithCli(dataDir, root.dir);
  expect(init.stderr).toBe('');
  expect(init.code).toBe(0);
  expect(init.stdout).toContain('Keyward Test Domain');
  passFile = path.join(root.dir, 'passphrase.txt');
});
afterAll(() => root?.remove());

describe('keyward init and domain show', () => {
  it('prints the Security Domain and valid public key points with --json', async () => {
    const run = await runCli(['--data-dir', dataDir, '--passphrase-file', passFile, 'domain', 'show', '--json']);
    expect(run.code).toBe(0);
    const shown = JSON.parse(run.stdout) as Record<string, string>;
    expect(Object.keys(shown).sort()).toEqual(['fingerprint', 'id', 'kpak', 'securityDomain', 'z']);
    // The certificate's fingerprint (16 groups of 4 hex digits) and Id (its first two groups).
    expect(shown.fingerprint).toMatch(/^[0-9A-F]{4}( [0-9A-F]{4}){15}$/);
    expect(shown.id).toBe(shown.fingerprint!.slice(0, 9));
    expect(shown.securityDomain).toBe(INIT_VALUES.securityDomain);
    // The crypto module's strict decoders: on the curve, in the subgroup, uncompressed.
    expect(() => decodeEccsiPoint(hexToBytes(shown.kpak!), 'KPAK')).not.toThrow();
    expect(() => decodeSakkePoint(hexToBytes(shown.z!), 'Z')).not.toThrow();
    expect(shown.kpak).toMatch(/^04[0-9a-f]{128}$/);
    expect(shown.z).toMatch(/^04[0-9a-f]{512}$/);

    const human = await runCli(['domain', 'show'], { KEYWARD_DATA_DIR: dataDir, KEYWARD_PASSPHRASE: INIT_VALUES.passphrase });
    expect(human.code).toBe(0);
    expect(human.stdout).toBe(`Security Domain: ${shown.securityDomain}\nDomain Id: ${shown.id}\nFingerprint: ${shown.fingerprint}\nKPAK: ${shown.kpak}\nZ: ${shown.z}\n`);
  });

  it('refuses init on an initialised data dir and changes nothing', async () => {
    const before = hashDir(dataDir);
    const again = await initWithCli(dataDir, root.dir, { ...INIT_VALUES, securityDomain: 'Another Domain' });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^error \[E_ALREADY_INITIALISED\]: .*already set up.*nothing was changed/);
    expect(hashDir(dataDir)).toBe(before);
  });
});

describe('keyward exit codes', () => {
  it('exits 0 on success and reports status without a passphrase', async () => {
    const run = await runCli(['--data-dir', dataDir, 'status', '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ state: 'locked' });
  });

  it('exits 2 with a usage hint on command-line mistakes', async () => {
    const empty = path.join(root.dir, 'never-created');
    const cases: [string[], RegExp][] = [
      [['frobnicate'], /unknown command "frobnicate"[\s\S]*keyward help/],
      [['log'], /unknown command "log" \(did you mean keyward log list, keyward log verify\?\)/],
      [['--data-dir', empty, 'status', '--frob'], /unknown option --frob/],
      [['status', '--data-dir'], /--data-dir needs a value/],
      [['--data-dir', empty, 'domain', 'show', '--limit', '3'], /does not take --limit/],
      [['--data-dir', empty, 'init', '--security-domain', 'x'], /needs --crs-address[\s\S]*usage: keyward init --security-domain/],
      [['--data-dir', dataDir, 'run', 'settings.get', '--args', '{nope'], /--args must be JSON/],
      [['--data-dir', dataDir, 'domain', 'show'], /no passphrase: give --passphrase-file FILE or set KEYWARD_PASSPHRASE/],
      [[], /no command given/],
    ];
    const runs = await Promise.all(cases.map(([args]) => runCli(args)));
    for (const [i, [args, message]] of cases.entries()) {
      const run = runs[i]!;
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr, args.join(' ')).toMatch(message);
      expect(run.stdout).toBe('');
    }
    expect(fs.existsSync(empty)).toBe(false);
  });

  it('exits 1 with "error [CODE]: message" when a command fails', async () => {
    const empty = tempDir('kw-cli-empty-');
    try {
      const notSetUp = await runCli(['--data-dir', empty.dir, 'domain', 'show']);
      expect(notSetUp.code).toBe(1);
      expect(notSetUp.stderr).toMatch(/^error \[E_NOT_INITIALISED\]: .*keyward init/);
      expect(fs.readdirSync(empty.dir)).toEqual([]);
    } finally {
      empty.remove();
    }
    const unknown = await runCli(['--data-dir', dataDir, '--passphrase-file', passFile, 'run', 'nope.command']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^error \[E_UNKNOWN_COMMAND\]: /);
    const missingFile = path.join(root.dir, 'no-such-passphrase.txt');
    const noFile = await runCli(['--data-dir', dataDir, '--passphrase-file', missingFile, 'domain', 'show']);
    expect(noFile.code).toBe(1);
    expect(noFile.stderr).toBe(`error [E_FILE]: --passphrase-file ${missingFile}: no such file\n`);
    const badConfig = path.join(root.dir, 'bad.config.json');
    fs.writeFileSync(badConfig, '{"disabled": "domain"}');
    const config = await runCli(['--data-dir', dataDir, '--config', badConfig, 'status']);
    expect(config.code).toBe(1);
    expect(config.stderr).toMatch(/^error \[E_KERNEL\]: .*bad\.config\.json: "disabled" must be an array/);
  });

  it('exits 1 on a wrong passphrase with a clear message that does not echo it', async () => {
    const run = await runCli(['--data-dir', dataDir, 'domain', 'show'], { KEYWARD_PASSPHRASE: 'not the passphrase at all' });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error \[E_WRONG_PASSPHRASE\]: \S.*/);
    expect(run.stderr).not.toContain('not the passphrase at all');
    expect(run.stdout).toBe('');
  });
});

describe('keyward commands, run and log', () => {
  it('lists every registered command and runs any of them with JSON arguments', async () => {
    const list = await runCli(['--data-dir', dataDir, '--passphrase-file', passFile, 'commands', '--json']);
    expect(list.code).toBe(0);
    const ids = (JSON.parse(list.stdout) as { id: string }[]).map((c) => c.id);
    expect(ids).toEqual(expect.arrayContaining(['kernel.status', 'log.verify', 'domain.show', 'settings.get', 'settings.setCrs']));

    const got = await runCli(['--data-dir', dataDir, '--passphrase-file', passFile, 'run', 'settings.get', '--json']);
    expect(got.code).toBe(0);
    expect(JSON.parse(got.stdout)).toMatchObject({
      crs: { address: INIT_VALUES.crsAddress, account: INIT_VALUES.crsAccount, secretSet: true },
      license: { systemId: INIT_VALUES.systemId, licenseKey: INIT_VALUES.licenseKey },
    });
    expect(got.stdout).not.toContain(INIT_VALUES.crsSecret);
  });

  it('lists the event log and verifies it', async () => {
    const data = copyOfData('log');
    const set = await runCli(
      ['--data-dir', data, '--passphrase-file', passFile, 'run', 'settings.setCrs', '--args', '{"address":"192.0.2.7","account":"ACC2"}'],
    );
    expect(set.code).toBe(0);
    const list = await runCli(['--data-dir', data, '--passphrase-file', passFile, 'log', 'list', '--json']);
    expect(list.code).toBe(0);
    const actions = (JSON.parse(list.stdout) as { records: { action: string }[] }).records.map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(['kernel.init', 'settings.setCrs']));
    const verify = await runCli(['--data-dir', data, '--passphrase-file', passFile, 'log', 'verify']);
    expect(verify.code).toBe(0);
    expect(verify.stdout).toMatch(/^Event log intact: \d+ records\.\n$/);
  });

  it('changes the passphrase: the old one stops working, the new one works', async () => {
    const data = copyOfData('passphrase');
    const next = 'a brand new administrator phrase';
    const weak = await runCli(['--data-dir', data, '--passphrase-file', passFile, 'passphrase', 'change', '--new-passphrase-file', secretFile(root.dir, 'weak.txt', 'short')]);
    expect(weak.code).toBe(1);
    expect(weak.stderr).toMatch(/^error \[E_WEAK_PASSPHRASE\]/);

    const change = await runCli(['--data-dir', data, '--passphrase-file', passFile, 'passphrase', 'change'], { KEYWARD_NEW_PASSPHRASE: next });
    expect(change.code).toBe(0);
    const old = await runCli(['--data-dir', data, '--passphrase-file', passFile, 'domain', 'show']);
    expect(old.code).toBe(1);
    expect(old.stderr).toMatch(/E_WRONG_PASSPHRASE/);
    const fresh = await runCli(['--data-dir', data, 'domain', 'show', '--json'], { KEYWARD_PASSPHRASE: next });
    expect(fresh.code).toBe(0);
    expect(JSON.parse(fresh.stdout).securityDomain).toBe(INIT_VALUES.securityDomain);
  });
});
