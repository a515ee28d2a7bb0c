import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JsonValue } from './api.js';
import { readConfig } from './config.js';
import { KernelError } from './errors.js';
import { Kernel } from './kernel.js';
import { definePlugin } from './plugin.js';
import { createTestKernel, type TestKernel } from './testing.js';
import { token } from './token.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'keyward-config-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function configError(text: string): Promise<string> {
  const file = join(dir, 'keyward.config.json');
  await writeFile(file, text);
  const err = await readConfig(file, true).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(KernelError);
  return (err as Error).message.replace(file, '<file>');
}

describe('deployment config', () => {
  it('an absent default file is {}; an absent named file is an error naming it', async () => {
    expect(await readConfig(join(dir, 'keyward.config.json'), true)).toEqual({});
    const named = join(dir, 'site.json');
    await expect(readConfig(named, false)).rejects.toThrow(`${named}: cannot read the deployment config (ENOENT)`);
    await expect(Kernel.create({ dataDir: dir, configFile: named, plugins: [] })).rejects.toThrow(named);
  });

  it('reads a valid file', async () => {
    const cfg = { disabled: ['gateways'], enabled: ['devices-linux'], flags: { 'letters.qrEncryption': true }, licenseVerifyingKey: 'ab'.repeat(32) };
    await writeFile(join(dir, 'keyward.config.json'), JSON.stringify(cfg));
    expect(await readConfig(join(dir, 'keyward.config.json'), true)).toEqual(cfg);
  });

  it('names the file and the line of bad JSON', async () => {
    expect(await configError('{\n  "disabled": ["a"],\n  "flags": {,}\n}')).toMatch(/^<file>: not valid JSON at line 3, column 13: /);
  });

  it('names the file and the field of a bad shape', async () => {
    expect(await configError('[]')).toBe('<file>: the top level must be a JSON object');
    expect(await configError('{"disable": []}')).toBe('<file>: "disable" is not a known field (expected disabled, enabled, flags, licenseVerifyingKey)');
    expect(await configError('{"disabled": "users"}')).toBe('<file>: "disabled" must be an array of plugin ids');
    expect(await configError('{"disabled": ["a", 3]}')).toBe('<file>: "disabled[1]" must be a plugin id (a string)');
    expect(await configError('{"enabled": "devices-linux"}')).toBe('<file>: "enabled" must be an array of plugin ids');
    expect(await configError('{"enabled": [null]}')).toBe('<file>: "enabled[0]" must be a plugin id (a string)');
    expect(await configError('{"enabled": ["a", "b"], "disabled": ["b"]}')).toBe('<file>: "enabled" and "disabled" both name "b"; keep it in one of them');
    expect(await configError('{"flags": [true]}')).toBe('<file>: "flags" must be an object of flag ids to values');
    expect(await configError('{"licenseVerifyingKey": "abc"}')).toBe('<file>: "licenseVerifyingKey" must be an Ed25519 public key as 64 hex digits');
  });
});

describe('config disables plugins', () => {
  let tk: TestKernel | undefined;
  afterEach(async () => {
    await tk?.cleanup();
    tk = undefined;
  });

  const A = token<object>('test:A');
  const B = token<object>('test:B');
  const plugin = (id: string, requires: Record<string, typeof A>, provides?: typeof A) =>
    definePlugin({
      id,
      requires,
      provides,
      activate(ctx) {
        ctx.commands.register({ id: `${id}.ping`, title: 'Ping', handler: () => id });
        return {};
      },
    });
  const plugins = [plugin('a', {}, A), plugin('b', { a: A }, B), plugin('c', { b: B }), plugin('d', { a: A })];

  it('drops disabled plugins and skips their dependents, before and after unlock; unknown ids are warned about', async () => {
    tk = await createTestKernel({ plugins, config: { disabled: ['b', 'ghost'] } });
    const expected = [
      { id: 'a', status: 'active' },
      { id: 'b', status: 'disabled', reason: 'disabled in the deployment config' },
      { id: 'c', status: 'skipped', reason: 'requires "test:B" from plugin "b", which is disabled' },
      { id: 'd', status: 'active' },
    ];
    const status = await tk.kernel.commands.execute<{ plugins: JsonValue; warnings: string[] }>('kernel.status');
    expect(status.plugins).toEqual(expected);
    expect(status.warnings).toEqual([`${join(tk.dataDir, 'keyward.config.json')}: disabled names "ghost", which is not a plugin`]);
    expect(await tk.kernel.commands.execute('d.ping')).toBe('d');
    await expect(tk.kernel.commands.execute('b.ping')).rejects.toMatchObject({ code: 'E_UNKNOWN_COMMAND' });
    await expect(tk.kernel.commands.execute('c.ping')).rejects.toMatchObject({ code: 'E_UNKNOWN_COMMAND' });
    await tk.kernel.stop();
    // Locked: only what the config decides is known yet.
    expect(tk.kernel.report()).toEqual([expected[1], expected[2]]);
  });

  describe('alternatives chosen by the config (disabledByDefault + enabled)', () => {
    // Three alternatives of one service, as the devices plugins are; 'user' needs whichever runs.
    const alt = (id: string, disabledByDefault: boolean) => ({ ...plugin(id, {}, A), disabledByDefault });
    const alternatives = () => [alt('a-default', false), alt('a-linux', true), alt('a-windows', true), plugin('user', { a: A })];
    const off = (id: string) => ({ id, status: 'disabled', reason: 'disabled by default; "enabled" in the deployment config turns it on' });

    it('runs the default alone when the config says nothing', async () => {
      tk = await createTestKernel({ plugins: alternatives() });
      expect(tk.kernel.report()).toEqual([{ id: 'a-default', status: 'active' }, off('a-linux'), off('a-windows'), { id: 'user', status: 'active' }]);
      await expect(tk.kernel.commands.execute('a-linux.ping')).rejects.toMatchObject({ code: 'E_UNKNOWN_COMMAND' });
    });

    it('switches to an alternative with enabled + disabled, and warns about unknown ids', async () => {
      tk = await createTestKernel({ plugins: alternatives(), config: { enabled: ['a-linux', 'ghost'], disabled: ['a-default'] } });
      expect(tk.kernel.report()).toEqual([
        { id: 'a-default', status: 'disabled', reason: 'disabled in the deployment config' },
        { id: 'a-linux', status: 'active' },
        off('a-windows'),
        { id: 'user', status: 'active' },
      ]);
      expect(await tk.kernel.commands.execute('a-linux.ping')).toBe('a-linux');
      const status = await tk.kernel.commands.execute<{ warnings: string[] }>('kernel.status');
      expect(status.warnings).toEqual([`${join(tk.dataDir, 'keyward.config.json')}: enabled names "ghost", which is not a plugin`]);
    });

    it('rejects two running providers, so enabling an alternative means disabling the default', async () => {
      await writeFile(join(dir, 'keyward.config.json'), JSON.stringify({ enabled: ['a-linux'] }));
      await expect(Kernel.create({ dataDir: dir, plugins: alternatives() })).rejects.toThrow('Plugins "a-default" and "a-linux" both provide "test:A"');
    });

    it('skips the dependents when every provider is off', async () => {
      tk = await createTestKernel({ plugins: alternatives(), config: { disabled: ['a-default'] } });
      expect(tk.kernel.report().slice(3)).toEqual([
        { id: 'user', status: 'skipped', reason: 'requires "test:A" from plugin "a-default", which is disabled' },
      ]);
    });
  });
});
