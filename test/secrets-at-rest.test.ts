/**
 * The install wizard with known secrets, then a search of every file in the data dir for them in
 * every usual encoding: none may be there (issue 3, "What must be shown").
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Kernel, definePlugin } from '../src/kernel/index.js';
import { builtinPlugins } from '../plugins/index.js';
import { IDomain, type DomainMasterSecrets } from '../plugins/domain/tokens.js';
import { INIT_VALUES, initWithCli, listFiles, runCli, tempDir } from '../src/cli/testing.js';

/** The ways a secret could end up in a file: raw bytes, hex in either case, base64 and base64url. */
function encodings(name: string, bytes: Uint8Array): { what: string; needle: Buffer }[] {
  const buf = Buffer.from(bytes);
  const hex = buf.toString('hex');
  return [
    { what: `${name} raw`, needle: buf },
    { what: `${name} hex`, needle: Buffer.from(hex) },
    { what: `${name} HEX`, needle: Buffer.from(hex.toUpperCase()) },
    // Base64 of a suffix-free prefix, so padding at the end of a longer encoding cannot hide a match.
    { what: `${name} base64`, needle: Buffer.from(buf.toString('base64').replace(/=+$/, '').slice(0, -4)) },
    { what: `${name} base64url`, needle: Buffer.from(buf.toString('base64url').slice(0, -4)) },
  ];
}

/** Every needle found in any file of dir, as "file: what". */
function findSecrets(dir: string, needles: { what: string; needle: Buffer }[]): string[] {
  const found: string[] = [];
  for (const file of listFiles(dir)) {
    const content = fs.readFileSync(path.join(dir, file));
    for (const { what, needle } of needles) if (content.includes(needle)) found.push(`${file}: ${what}`);
  }
  return found;
}

const root = tempDir('kw-secrets-');
afterAll(() => root.remove());

describe('secrets at rest', () => {
  it('leaves no shared secret, passphrase or master key in any file of the data dir', async () => {
    const dataDir = path.join(root.dir, 'data');
    const secretsDir = path.join(root.dir, 'secrets'); // the secret files live outside the data dir
    fs.mkdirSync(secretsDir);
    const init = await initWithCli(dataDir, secretsDir);
    expect(init.code, init.stderr).toBe(0);
    const justAfterInit = path.join(root.dir, 'after-init');
    fs.cpSync(dataDir, justAfterInit, { recursive: true });

    // A few more actions that touch the secrets, so the event log and rewritten collections are covered.
    const cli = (...args: string[]) => runCli(['--data-dir', dataDir, ...args], { KEYWARD_PASSPHRASE: INIT_VALUES.passphrase });
    expect((await cli('run', 'settings.revealCrsSecret', '--json')).stdout).toContain(INIT_VALUES.crsSecret);
    const setCrs = { address: 'crs2.example.net', account: INIT_VALUES.crsAccount, secret: INIT_VALUES.crsSecret };
    expect((await cli('run', 'settings.setCrs', '--args', JSON.stringify(setCrs))).code).toBe(0);
    expect((await cli('log', 'list')).code).toBe(0);

    // The master secrets, through IDomain as any plugin gets them.
    let master: DomainMasterSecrets | undefined;
    const probe = definePlugin({
      id: 'probe',
      requires: { domain: IDomain },
      activate(_ctx, { domain }) {
        master = domain.masterSecrets();
      },
    });
    const kernel = await Kernel.create({ dataDir, plugins: [...builtinPlugins, probe] });
    await kernel.commands.execute('kernel.unlock', { passphrase: INIT_VALUES.passphrase });
    await kernel.stop();
    expect(master!.ksak).toHaveLength(32);
    expect(master!.z).toHaveLength(128);

    const text = (s: string) => new TextEncoder().encode(s);
    const needles = [
      ...encodings('CRS shared secret', text(INIT_VALUES.crsSecret)),
      ...encodings('passphrase', text(INIT_VALUES.passphrase)),
      ...encodings('ECCSI KSAK', master!.ksak),
      ...encodings('SAKKE z', master!.z),
    ];
    // The search itself must work: it finds each needle where one is planted.
    const planted = path.join(root.dir, 'planted');
    fs.mkdirSync(planted);
    for (const [i, n] of needles.entries()) fs.writeFileSync(path.join(planted, `${i}.bin`), Buffer.concat([Buffer.from('x'), n.needle, Buffer.from('y')]));
    const hits = findSecrets(planted, needles);
    for (const [i, n] of needles.entries()) expect(hits).toContain(`${i}.bin: ${n.what}`);

    // And it finds the secrets where the administrator keeps them, outside the data dir.
    expect(findSecrets(secretsDir, needles)).toEqual(
      expect.arrayContaining(['crs-secret.txt: CRS shared secret raw', 'passphrase.txt: passphrase raw']),
    );

    expect(listFiles(dataDir).length).toBeGreaterThanOrEqual(4); // vault, event log, collections
    expect(findSecrets(justAfterInit, needles)).toEqual([]);
    expect(findSecrets(dataDir, needles)).toEqual([]);
  });
});
