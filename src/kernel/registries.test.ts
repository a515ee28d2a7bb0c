import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Collection } from './api.js';
import { KernelError } from './errors.js';
import { Kernel } from './kernel.js';
import { defineHook, definePlugin } from './plugin.js';
import { createTestKernel, type TestKernel } from './testing.js';

let tk: TestKernel | undefined;
afterEach(async () => {
  await tk?.cleanup();
  tk = undefined;
});

const Build = defineHook<{ steps: string[] }>('test.build');

describe('hooks', () => {
  it('run async handlers one after another, lowest order first, ties in registration order', async () => {
    const plugin = definePlugin({
      id: 'h',
      activate(ctx) {
        const slow = (name: string) => async (p: { steps: string[] }) => {
          p.steps.push(`${name} start`);
          await new Promise((r) => setTimeout(r, 10));
          p.steps.push(`${name} end`);
        };
        ctx.hooks.on(Build, slow('default-1'));
        ctx.hooks.on(Build, slow('late'), 200);
        ctx.hooks.on(Build, slow('early'), 10);
        ctx.hooks.on(Build, slow('default-2'));
      },
    });
    tk = await createTestKernel({ plugins: [plugin] });
    const out = await tk.kernel.hooks.run(Build, { steps: [] });
    expect(out.steps).toEqual(['early', 'default-1', 'default-2', 'late'].flatMap((n) => [`${n} start`, `${n} end`]));
  });

  it('stop at the first handler that throws, passing its error on', async () => {
    const ran: string[] = [];
    const plugin = definePlugin({
      id: 'h',
      activate(ctx) {
        ctx.hooks.on(Build, () => void ran.push('first'), 1);
        ctx.hooks.on(Build, () => Promise.reject(new Error('refused')), 2);
        ctx.hooks.on(Build, () => void ran.push('never'), 3);
      },
    });
    tk = await createTestKernel({ plugins: [plugin] });
    await expect(tk.kernel.hooks.run(Build, { steps: [] })).rejects.toThrow('refused');
    expect(ran).toEqual(['first']);
  });
});

describe('menus, layouts, flags', () => {
  const ui = definePlugin({
    id: 'ui',
    activate(ctx) {
      ctx.menus.register({ id: 'ui.b', label: 'B', element: 'kw-b-view', order: 20 });
      ctx.menus.register({ id: 'ui', label: 'UI', element: 'kw-ui-view', order: 10 });
      ctx.menus.register({ id: 'ui.a', label: 'A', element: 'kw-a-view', order: 20, parent: 'ui' });
      ctx.layouts.register({ id: 'ui.letter', label: 'Letter', template: '<p>{{name}}</p>', fields: { intro: 'Dear $FULLNAME' } });
      ctx.flags.declare({ id: 'ui.compact', label: 'Compact', default: false });
      ctx.flags.declare({ id: 'ui.copies', label: 'Copies', default: 1 });
      ctx.flags.declare({ id: 'ui.title', label: 'Title', default: 'Keyward' });
    },
  });

  it('menus are sorted by order then id, with the kernel\'s event log last', async () => {
    tk = await createTestKernel({ plugins: [ui] });
    const menus = await tk.kernel.commands.execute<{ id: string }[]>('kernel.menus');
    expect(menus.map((m) => m.id)).toEqual(['ui', 'ui.a', 'ui.b', 'log']);
    expect(menus[3]).toEqual({ id: 'log', label: 'Event log', element: 'kw-log-view', order: 900 });
    expect(() => tk!.kernel.menus.register({ id: 'ui', label: 'again', element: 'kw-x-view', order: 1 })).toThrow(
      new KernelError('Menu item "ui" is already registered'),
    );
    expect(() => tk!.kernel.menus.register({ id: 'x', label: 'X', element: 'div', order: 1 })).toThrow(/not a valid custom element name/);
  });

  it('layouts are looked up by id and reject duplicates', async () => {
    tk = await createTestKernel({ plugins: [ui] });
    expect(tk.kernel.layouts.get('ui.letter')?.fields).toEqual({ intro: 'Dear $FULLNAME' });
    expect(tk.kernel.layouts.list().map((l) => l.id)).toEqual(['ui.letter']);
    expect(() => tk!.kernel.layouts.register({ id: 'ui.letter', label: 'L', template: '' })).toThrow(KernelError);
  });

  it('flags take their default, the config value when it has the default\'s type, and warn about the rest', async () => {
    const config = { flags: { 'ui.compact': true, 'ui.copies': 'three', 'ghost.flag': 1 } };
    tk = await createTestKernel({ plugins: [ui], config });
    expect(tk.kernel.flags.get('ui.compact')).toBe(true);
    expect(tk.kernel.flags.get('ui.copies')).toBe(1);
    expect(await tk.kernel.commands.execute('kernel.flags')).toEqual([
      { id: 'ui.compact', label: 'Compact', default: false, value: true, source: 'config' },
      { id: 'ui.copies', label: 'Copies', default: 1, value: 1, source: 'default' },
      { id: 'ui.title', label: 'Title', default: 'Keyward', value: 'Keyward', source: 'default' },
    ]);
    const file = join(tk.dataDir, 'keyward.config.json');
    const status = await tk.kernel.commands.execute<{ warnings: string[] }>('kernel.status');
    expect(status.warnings).toEqual([
      `${file}: flags.ui.copies must be a number like its default; the default is used`,
      `${file}: flags.ghost.flag is not declared by any active plugin; it has no effect`,
    ]);
    expect(() => tk!.kernel.flags.get('ghost.flag')).toThrow(new KernelError('Flag "ghost.flag" is not declared by any active plugin'));
    expect(() => tk!.kernel.flags.declare({ id: 'x.bad', label: 'Bad', default: new Date() as never })).toThrow(/not JSON-safe \(Date\)/);
  });
});

interface Note {
  text: string;
}
const MARKER = 'PLAINTEXT-MARKER-4417';
/** The store the notes plugin opened in its latest activation. */
let notesStore: Collection<Note>;
const notes = definePlugin({
  id: 'notes',
  activate: (ctx) => void (notesStore = ctx.collections.open<Note>('notes')),
});

describe('collections', () => {
  it('are encrypted on disk record by record: no plaintext in the file, readable after unlock', async () => {
    tk = await createTestKernel({ plugins: [notes] });
    const kernel = tk.kernel;
    const store = notesStore;
    await store.insert({ text: `${MARKER} one` });
    await store.insert({ text: `${MARKER} two` });
    await kernel.stop();
    const raw = await readFile(join(tk.dataDir, 'notes.db'), 'utf8');
    const lines = raw.split('\n').filter(Boolean);
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line).toMatch(/^v1:[A-Za-z0-9+/]+=*$/);
    expect(raw).not.toContain('PLAINTEXT');
    expect(raw).not.toContain('text');
    await kernel.commands.execute('kernel.unlock', { passphrase: tk.passphrase });
    expect(notesStore).not.toBe(store);
    expect((await notesStore.find({}).sort({ text: 1 })).map((d) => d.text)).toEqual([`${MARKER} one`, `${MARKER} two`]);
  });

  it('belong to one plugin; names are restricted', async () => {
    const thief = definePlugin({ id: 'thief', activate: (ctx) => void ctx.collections.open('notes') });
    const namer = (name: string) => definePlugin({ id: 'namer', activate: (ctx) => void ctx.collections.open(name) });
    const twice = definePlugin({
      id: 'twice',
      activate(ctx) {
        if (ctx.collections.open('twice') !== ctx.collections.open('twice')) throw new Error('not the same store');
      },
    });
    tk = await createTestKernel({ plugins: [notes, twice] });
    await tk.kernel.stop();
    for (const [plugin, reason] of [
      [thief, 'Collection "notes" already belongs to plugin "notes"'],
      [namer('../etc'), 'Collection name "../etc" may only hold a-z, 0-9, "-", "_" and "." (not first)'],
      [namer('Users'), 'Collection name "Users" may only hold a-z, 0-9, "-", "_" and "." (not first)'],
      [namer('kernel'), 'Collection "kernel" already belongs to plugin "kernel"'],
    ] as const) {
      const kernel = await Kernel.create({ dataDir: tk.dataDir, plugins: [notes, twice, plugin] });
      await kernel.commands.execute('kernel.unlock', { passphrase: tk.passphrase });
      expect(kernel.report()).toEqual([
        { id: 'notes', status: 'active' },
        { id: 'twice', status: 'active' },
        { id: plugin.id, status: 'failed', reason },
      ]);
      await kernel.stop();
    }
  });
});

describe('disposal', () => {
  it('undoes every registration of every registry on stop and flushes pending collection writes', async () => {
    let allStore!: Collection<Note>;
    const disposed: string[] = [];
    const plugin = definePlugin({
      id: 'all',
      activate(ctx) {
        ctx.track({ dispose: () => void disposed.push('first tracked') });
        ctx.commands.register({ id: 'all.cmd', title: 'Cmd', handler: () => null });
        ctx.menus.register({ id: 'all', label: 'All', element: 'kw-all-view', order: 1 });
        ctx.layouts.register({ id: 'all.layout', label: 'Layout', template: '' });
        ctx.flags.declare({ id: 'all.flag', label: 'Flag', default: true });
        ctx.hooks.on(Build, (p) => void p.steps.push('all'));
        allStore = ctx.collections.open<Note>('all');
        ctx.track({ dispose: async () => void disposed.push('last tracked') });
      },
    });
    tk = await createTestKernel({ plugins: [plugin] });
    const { kernel } = tk;
    void allStore.insert({ text: 'written during stop' }); // not awaited: stop must wait for it
    await kernel.stop();
    expect(disposed).toEqual(['last tracked', 'first tracked']);
    expect(kernel.commands.list().map((c) => c.id).filter((id) => !/^(kernel|log)\./.test(id))).toEqual([]);
    expect(kernel.menus.list()).toEqual([]);
    expect(kernel.layouts.list()).toEqual([]);
    expect(kernel.flags.list()).toEqual([]);
    expect((await kernel.hooks.run(Build, { steps: [] })).steps).toEqual([]);
    expect((await readFile(join(tk.dataDir, 'all.db'), 'utf8')).split('\n').filter(Boolean)).toHaveLength(1);
    // The same plugin starts again cleanly: nothing it registered is left over.
    await kernel.commands.execute('kernel.unlock', { passphrase: tk.passphrase });
    expect(kernel.report()).toEqual([{ id: 'all', status: 'active' }]);
    expect((await allStore.find({})).map((d) => d.text)).toEqual(['written during stop']);
  });
});
