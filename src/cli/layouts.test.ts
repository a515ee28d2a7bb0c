/** `keyward layouts …`, run as the real binary on a temp data dir. */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initWithCli, runCli, tempDir } from './testing.js';

let root: { dir: string; remove: () => void };
let dataDir: string;
let passFile: string;
const ID = 'domains.certificate';

const kw = (...args: string[]) => runCli(['--data-dir', dataDir, '--passphrase-file', passFile, ...args]);
const write = (name: string, text: string) => {
  const file = path.join(root.dir, name);
  fs.writeFileSync(file, text);
  return file;
};

beforeAll(async () => {
  root = tempDir('kw-cli-layouts-');
  dataDir = path.join(root.dir, 'data');
  expect((await initWithCli(dataDir, root.dir)).code).toBe(0);
  passFile = path.join(root.dir, 'passphrase.txt');
});
afterAll(() => root?.remove());

describe('keyward layouts', () => {
  it('lists and shows layouts; show --json is a file set reads back', async () => {
    const list = await kw('layouts', 'list');
    expect(list.stdout).toMatch(/^domains\.certificate +Domain certificate$/m); // ids are padded to the longest
    const shown = await kw('layouts', 'show', ID);
    expect(shown.stdout).toMatch(/^domains\.certificate: Domain certificate \(default\)\nFields:\n {2}title: Domain certificate of \$DOMAIN\n/);
    expect(shown.stdout).toContain('Template:\n<!doctype html>');

    const asJson = JSON.parse((await kw('layouts', 'show', ID, '--json')).stdout);
    asJson.fields.title = 'Certificate: $DOMAIN ($OWN-DOMAIN-ID)';
    const set = await kw('layouts', 'set', ID, write('cert.json', JSON.stringify(asJson)));
    expect(set.stderr).toBe('');
    expect(set.stdout).toBe(`Saved layout ${ID} from ${path.join(root.dir, 'cert.json')}.\n`);
    expect((await kw('layouts', 'list')).stdout).toMatch(/^domains\.certificate +Domain certificate {2}\[changed\]$/m);
    expect(JSON.parse((await kw('layouts', 'show', ID, '--json')).stdout).fields.title).toBe('Certificate: $DOMAIN ($OWN-DOMAIN-ID)');
  });

  it('sets a template file, listing unknown variables; refuses a broken template naming its line', async () => {
    const ok = await kw('layouts', 'set', ID, write('cert.hbs', '<h1>{{field "title"}}</h1>\n<p>$DOMIAN</p>'));
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('Warning: Unknown variable $DOMIAN in the template, line 2 (left as written).');
    const json = JSON.parse((await kw('layouts', 'set', ID, path.join(root.dir, 'cert.hbs'), '--json')).stdout);
    expect(json).toMatchObject({ id: ID, custom: true, warnings: [expect.stringContaining('$DOMIAN')] });

    const bad = await kw('layouts', 'set', ID, write('bad.hbs', '<h1>\n{{#each rows}}\n</h1>'));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^error \[E_INVALID_LAYOUT\]: template, line \d+: /);
    expect(JSON.parse((await kw('layouts', 'show', ID, '--json')).stdout).template).toBe('<h1>{{field "title"}}</h1>\n<p>$DOMIAN</p>');
  });

  it('names the file or operand that is wrong', async () => {
    const [missing, notJson, noFile, unknown] = await Promise.all([
      kw('layouts', 'set', ID, path.join(root.dir, 'nope.hbs')),
      kw('layouts', 'set', ID, write('broken.json', '{"fields": ')),
      kw('layouts', 'set', ID),
      kw('layouts', 'show', 'letters.nope'),
    ]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(`error [E_FILE]: ${path.join(root.dir, 'nope.hbs')}: no such file\n`);
    expect(notJson.stderr).toMatch(/^error \[E_FILE\]: .*broken\.json: not valid JSON/);
    expect(noFile.code).toBe(2);
    expect(noFile.stderr).toContain('keyward layouts set needs the file');
    expect(unknown.stderr).toMatch(/^error \[E_UNKNOWN_LAYOUT\]: no layout "letters\.nope"/);
  });

  it('resets to the default only when confirmed', async () => {
    const unconfirmed = await kw('layouts', 'reset', ID);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toContain('add --yes');
    const reset = await kw('layouts', 'reset', ID, '--yes');
    expect(reset.stdout).toBe(`Layout ${ID} is back to its default.\n`);
    expect(JSON.parse((await kw('layouts', 'show', ID, '--json')).stdout)).toMatchObject({ custom: false, fields: { title: 'Domain certificate of $DOMAIN' } });
  });
});
