import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CommandErrorInfo, JsonValue, SetupPayload } from './api.js';
import { CommandError, KernelError } from './errors.js';
import { Kernel, SetupHook } from './kernel.js';
import { definePlugin } from './plugin.js';
import { TEST_PASSPHRASE, TEST_SETUP, createTestKernel } from './testing.js';

const WRONG = 'wrong horse battery staple';
const NEXT = 'a brand new passphrase';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'keyward-kernel-'));
});
afterEach(() => rm(root, { recursive: true, force: true }));

/** Every file under `dir` with its bytes, to prove a failure touched nothing. */
async function files(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) out[join(e.parentPath, e.name).slice(dir.length)] = (await readFile(join(e.parentPath, e.name))).toString('base64');
  }
  return out;
}

async function failure(kernel: Kernel, id: string, args?: JsonValue): Promise<CommandErrorInfo> {
  const err = await kernel.commands.execute(id, args).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, `${id} should fail`).toBeInstanceOf(CommandError);
  const info = (err as CommandError).toJSON();
  // Whatever failed, no passphrase is ever echoed.
  for (const p of [TEST_PASSPHRASE, WRONG, NEXT]) expect(JSON.stringify(info)).not.toContain(p);
  return info;
}

const init = (kernel: Kernel, setup: Partial<SetupPayload> = {}) =>
  kernel.commands.execute('kernel.init', { passphrase: TEST_PASSPHRASE, setup: { ...TEST_SETUP, ...setup } as never }, { actor: 'wizard' });

/** Stores what setup gives it, provides a command, and fails setup when asked to. */
const setupSeen: SetupPayload[] = [];
const domain = definePlugin({
  id: 'domain',
  activate(ctx) {
    const store = ctx.collections.open<{ name: string }>('domain');
    ctx.hooks.on(SetupHook, async (setup) => {
      setupSeen.push(structuredClone(setup));
      await store.insert({ name: setup.securityDomain });
      if (setup.securityDomain === 'fail.example') throw new Error(`cannot use ${setup.crs.secret}`);
      if (setup.securityDomain === 'refuse.example') throw new CommandError('E_BAD_DOMAIN', 'Security Domain refused');
    });
    ctx.commands.register({ id: 'domain.name', title: 'Name', audit: false, handler: async () => (await store.findOne({}))?.name ?? null });
  },
});

describe('kernel states', () => {
  it('goes uninitialised → ready (init) → locked (stop) → ready (unlock)', async () => {
    const dataDir = join(root, 'data');
    const kernel = await Kernel.create({ dataDir, plugins: [domain], insecureTestKdf: true });
    expect(kernel.state).toBe('uninitialised');
    expect(await kernel.commands.execute('kernel.status')).toEqual({ state: 'uninitialised', plugins: [], warnings: [] });
    expect(await failure(kernel, 'domain.name')).toMatchObject({ code: 'E_NOT_INITIALISED' });
    expect(await failure(kernel, 'log.list')).toMatchObject({ code: 'E_NOT_INITIALISED' });
    expect(await failure(kernel, 'kernel.unlock', { passphrase: TEST_PASSPHRASE })).toMatchObject({ code: 'E_NOT_INITIALISED' });
    expect(() => kernel.log).toThrow(KernelError);

    setupSeen.length = 0;
    expect(await init(kernel)).toEqual({ state: 'ready' });
    expect(setupSeen).toEqual([TEST_SETUP]);
    expect(await kernel.commands.execute('domain.name')).toBe('test.example');
    expect(await kernel.commands.execute('kernel.status')).toEqual({
      state: 'ready',
      securityDomain: 'test.example',
      plugins: [{ id: 'domain', status: 'active' }],
      warnings: [],
    });
    const { records } = await kernel.log.list();
    expect(records.map(({ actor, action, target }) => ({ actor, action, target }))).toEqual([{ actor: 'wizard', action: 'kernel.init', target: 'test.example' }]);

    await kernel.stop();
    expect(kernel.state).toBe('locked');
    expect(await failure(kernel, 'domain.name')).toMatchObject({ code: 'E_LOCKED' });
    expect(() => kernel.log).toThrow(KernelError);

    const again = await Kernel.create({ dataDir, plugins: [domain] });
    expect(again.state).toBe('locked');
    expect(await again.commands.execute('kernel.unlock', { passphrase: TEST_PASSPHRASE })).toEqual({ state: 'ready' });
    expect(await again.commands.execute('domain.name')).toBe('test.example');
    expect((await again.commands.execute<{ securityDomain: string }>('kernel.status')).securityDomain).toBe('test.example');
    expect((await again.log.list({ action: 'kernel.unlock' })).total).toBe(1);
    expect(await again.commands.execute('log.verify')).toEqual({ ok: true, records: 2 });
    // Unlocking a ready kernel checks the passphrase and changes nothing.
    expect(await again.commands.execute('kernel.unlock', { passphrase: TEST_PASSPHRASE })).toEqual({ state: 'ready' });
    expect(await failure(again, 'kernel.unlock', { passphrase: WRONG })).toMatchObject({ code: 'E_WRONG_PASSPHRASE' });
    await again.stop();
  });

  it('lists the commands and menus of the running plugins', async () => {
    const tk = await createTestKernel({ plugins: [domain] });
    const ids = (await tk.kernel.commands.execute<{ id: string }[]>('kernel.commands')).map((c) => c.id);
    expect(ids).toEqual([
      'domain.name',
      'kernel.changePassphrase',
      'kernel.commands',
      'kernel.flags',
      'kernel.init',
      'kernel.menus',
      'kernel.status',
      'kernel.unlock',
      'log.list',
      'log.osSink',
      'log.setOsSink',
      'log.verify',
    ]);
    await tk.cleanup();
  });
});

describe('kernel.init', () => {
  it('refuses on an initialised data dir and changes nothing', async () => {
    const tk = await createTestKernel({ plugins: [domain] });
    await tk.kernel.commands.execute('domain.name');
    await tk.kernel.stop();
    const before = await files(tk.dataDir);
    for (const kernel of [tk.kernel, await Kernel.create({ dataDir: tk.dataDir, plugins: [domain] })]) {
      expect(await failure(kernel, 'kernel.init', { passphrase: WRONG, setup: { ...TEST_SETUP, securityDomain: 'other.example' } })).toEqual({
        code: 'E_ALREADY_INITIALISED',
        message: `${tk.dataDir} is already initialised; nothing was changed`,
      });
    }
    expect(await files(tk.dataDir)).toEqual(before);
    await tk.cleanup();
  });

  it('rolls back everything it created when a setup hook throws: files, folder, state', async () => {
    setupSeen.length = 0;
    // A data dir that did not exist goes away completely.
    const fresh = join(root, 'fresh');
    const kernel = await Kernel.create({ dataDir: fresh, plugins: [domain], insecureTestKdf: true });
    expect(await init(kernel, { securityDomain: 'fail.example' }).catch((e: CommandError) => e.toJSON())).toEqual({
      code: 'E_INTERNAL',
      message: 'kernel.init failed with an internal error',
    });
    expect(setupSeen).toHaveLength(1); // the hook did run and wrote domain.db before throwing
    await expect(readdir(fresh)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(kernel.state).toBe('uninitialised');
    expect(kernel.menus.list()).toEqual([]);

    // A data dir that existed keeps exactly what it had (here a config file), and a CommandError passes through.
    const existing = join(root, 'existing');
    await createDir(existing, { 'keyward.config.json': '{"flags": {}}', 'notes.txt': 'keep me' });
    const before = await files(existing);
    const k2 = await Kernel.create({ dataDir: existing, plugins: [domain], insecureTestKdf: true });
    expect(await init(k2, { securityDomain: 'refuse.example' }).catch((e: CommandError) => e.toJSON())).toEqual({
      code: 'E_BAD_DOMAIN',
      message: 'Security Domain refused',
    });
    expect(await files(existing)).toEqual(before);
    expect(k2.state).toBe('uninitialised');
    // …and can then be initialised properly.
    expect(await init(k2)).toEqual({ state: 'ready' });
    expect(await k2.commands.execute('domain.name')).toBe('test.example');
    await k2.stop();
  });

  it('rolls back when a plugin fails to start, naming it', async () => {
    const broken = definePlugin({
      id: 'broken',
      activate: () => {
        throw new Error('no printer');
      },
    });
    const dataDir = join(root, 'data');
    const kernel = await Kernel.create({ dataDir, plugins: [domain, broken], insecureTestKdf: true });
    expect(await init(kernel).catch((e: CommandError) => e.toJSON())).toEqual({
      code: 'E_PLUGIN_FAILED',
      message: 'Some plugins failed to start; nothing was kept',
      details: { plugins: [{ id: 'broken', status: 'failed', reason: 'no printer' }] },
    });
    await expect(readdir(dataDir)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('names the data dir when it cannot be written', async () => {
    await writeFile(join(root, 'file'), 'not a folder');
    await writeFile(join(root, 'site.json'), '{}');
    const dataDir = join(root, 'file', 'data');
    const kernel = await Kernel.create({ dataDir, configFile: join(root, 'site.json'), plugins: [], insecureTestKdf: true });
    expect(await failure(kernel, 'kernel.init', { passphrase: TEST_PASSPHRASE, setup: TEST_SETUP as never })).toEqual({
      code: 'E_IO',
      message: `Cannot write to ${dataDir} (ENOTDIR)`,
    });
    expect(kernel.state).toBe('uninitialised');
  });

  it('checks its arguments, naming the field and never the value', async () => {
    const kernel = await Kernel.create({ dataDir: join(root, 'data'), plugins: [], insecureTestKdf: true });
    const cases: [JsonValue, string][] = [
      [null, 'kernel.init: the argument must be an object'],
      [{ setup: TEST_SETUP as never }, 'kernel.init: passphrase must be a non-empty string'],
      [{ passphrase: '', setup: TEST_SETUP as never }, 'kernel.init: passphrase must be a non-empty string'],
      [{ passphrase: TEST_PASSPHRASE }, 'kernel.init: setup must be an object'],
      [{ passphrase: TEST_PASSPHRASE, setup: { ...TEST_SETUP, crs: { ...TEST_SETUP.crs, secret: 42 } } }, 'kernel.init: setup.crs.secret must be a string'],
      [{ passphrase: TEST_PASSPHRASE, setup: { ...TEST_SETUP, securityDomain: '' } }, 'kernel.init: setup.securityDomain must be a non-empty string'],
    ];
    for (const [args, message] of cases) expect(await failure(kernel, 'kernel.init', args)).toEqual({ code: 'E_INVALID_ARGS', message });
    expect(await failure(kernel, 'kernel.init', { passphrase: 'eleven char', setup: TEST_SETUP as never })).toEqual({
      code: 'E_WEAK_PASSPHRASE',
      message: 'kernel.init: passphrase must be at least 12 characters long',
    });
    await expect(readdir(join(root, 'data'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('passphrase', () => {
  it('a wrong passphrase is refused and leaves every file byte-identical', async () => {
    const tk = await createTestKernel({ plugins: [domain] });
    await tk.kernel.stop();
    const before = await files(tk.dataDir);
    expect(await failure(tk.kernel, 'kernel.unlock', { passphrase: WRONG })).toEqual({
      code: 'E_WRONG_PASSPHRASE',
      message: 'wrong passphrase: the vault could not be unlocked',
    });
    expect(tk.kernel.state).toBe('locked');
    expect(await files(tk.dataDir)).toEqual(before);
    expect(await failure(tk.kernel, 'kernel.unlock', {})).toEqual({ code: 'E_INVALID_ARGS', message: 'kernel.unlock: passphrase must be a non-empty string' });
    await tk.cleanup();
  });

  it('changes, needs the current one, and is never recorded', async () => {
    const tk = await createTestKernel({ plugins: [domain] });
    const { kernel } = tk;
    expect(await failure(kernel, 'kernel.changePassphrase', { current: WRONG, next: NEXT })).toMatchObject({ code: 'E_WRONG_PASSPHRASE' });
    expect(await failure(kernel, 'kernel.changePassphrase', { current: TEST_PASSPHRASE, next: '' })).toMatchObject({ code: 'E_INVALID_ARGS' });
    expect(await failure(kernel, 'kernel.changePassphrase', { current: TEST_PASSPHRASE, next: 'too short' })).toMatchObject({
      code: 'E_WEAK_PASSPHRASE',
      message: 'kernel.changePassphrase: next must be at least 12 characters long',
    });
    await kernel.commands.execute('kernel.changePassphrase', { current: TEST_PASSPHRASE, next: NEXT });
    await kernel.stop();
    expect(await failure(kernel, 'kernel.changePassphrase', { current: NEXT, next: WRONG })).toMatchObject({ code: 'E_LOCKED' });
    expect(await failure(kernel, 'kernel.unlock', { passphrase: TEST_PASSPHRASE })).toMatchObject({ code: 'E_WRONG_PASSPHRASE' });
    await kernel.commands.execute('kernel.unlock', { passphrase: NEXT });
    const { records } = await kernel.log.list();
    expect(records.map((r) => r.action).reverse()).toEqual(['kernel.init', 'kernel.changePassphrase', 'kernel.unlock']);
    const everything = JSON.stringify(records) + Object.values(await files(tk.dataDir)).map((b) => Buffer.from(b, 'base64').toString('latin1')).join('');
    for (const p of [TEST_PASSPHRASE, NEXT, WRONG, TEST_SETUP.crs.secret]) expect(everything).not.toContain(p);
    await tk.cleanup();
  });
});

describe('log.osSink / log.setOsSink', () => {
  it('is remembered across unlocks and validates its argument', async () => {
    const tk = await createTestKernel({ plugins: [] });
    const { kernel } = tk;
    expect(await kernel.commands.execute('log.osSink')).toMatchObject({ on: false });
    expect(await failure(kernel, 'log.setOsSink', { on: 'yes' })).toEqual({ code: 'E_INVALID_ARGS', message: 'log.setOsSink: on must be true or false' });
    expect(await kernel.commands.execute('log.setOsSink', { on: true })).toMatchObject({ on: true });
    await kernel.stop();
    await kernel.commands.execute('kernel.unlock', { passphrase: tk.passphrase });
    expect(await kernel.commands.execute('log.osSink')).toMatchObject({ on: true });
    expect(await kernel.commands.execute('log.setOsSink', { on: false })).toMatchObject({ on: false });
    const { records } = await kernel.log.list({ action: 'log.setOsSink' });
    expect(records.map((r) => r.details)).toEqual([{ on: false }, { on: true }]);
    await tk.cleanup();
  });
});

async function createDir(dir: string, content: Record<string, string>): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const [name, text] of Object.entries(content)) await writeFile(join(dir, name), text);
}
