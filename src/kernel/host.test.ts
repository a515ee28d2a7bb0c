import { afterEach, describe, expect, it } from 'vitest';
import type { PluginDefinition, Token } from './api.js';
import { KernelError } from './errors.js';
import { PluginHost } from './host.js';
import { Kernel } from './kernel.js';
import { definePlugin } from './plugin.js';
import { createTestKernel, type TestKernel } from './testing.js';
import { token } from './token.js';

const A = token<{ name: string }>('test:A');
const B = token<{ name: string }>('test:B');
const C = token<{ name: string }>('test:C');

/** A plugin that notes its activation and disposal in `journal` and provides `{name: id}`. */
function probe(
  journal: string[],
  id: string,
  opts: { requires?: Record<string, Token<any>>; optional?: Record<string, Token<any>>; provides?: Token<any>; fail?: boolean } = {},
): PluginDefinition<any, any, any> {
  return definePlugin({
    id,
    requires: opts.requires,
    optional: opts.optional,
    provides: opts.provides,
    activate(ctx, deps) {
      const seen = Object.entries(deps as Record<string, { name: string } | undefined>)
        .map(([k, v]) => `${k}=${v?.name ?? 'none'}`)
        .join(',');
      journal.push(`start ${id}${seen ? ` (${seen})` : ''}`);
      ctx.track({ dispose: () => void journal.push(`stop ${id}`) });
      if (opts.fail) throw new Error(`${id} cannot start`);
      return { name: id };
    },
  });
}

const graphError = (defs: PluginDefinition<any, any, any>[]) => {
  try {
    new PluginHost(defs);
  } catch (err) {
    expect(err).toBeInstanceOf(KernelError);
    return (err as Error).message;
  }
  throw new Error('the graph was accepted');
};

describe('plugin graph validation at registration', () => {
  const j: string[] = [];

  it('rejects duplicate ids', () => {
    expect(graphError([probe(j, 'users'), probe(j, 'users')])).toBe('Two plugins have the id "users"');
  });

  it('rejects two providers of one token, naming both', () => {
    expect(graphError([probe(j, 'a', { provides: A }), probe(j, 'b', { provides: A })])).toBe(
      'Plugins "a" and "b" both provide "test:A"',
    );
  });

  it('rejects a missing provider, naming the plugin and the token', () => {
    expect(graphError([probe(j, 'users', { requires: { keys: A } })])).toBe(
      'Plugin "users" requires "test:A" (as "keys") but no plugin provides it',
    );
  });

  it('rejects a dependency cycle, naming it', () => {
    const defs = [
      probe(j, 'a', { provides: A, requires: { b: B } }),
      probe(j, 'b', { provides: B, requires: { c: C } }),
      probe(j, 'c', { provides: C, optional: { a: A } }),
    ];
    expect(graphError(defs)).toBe('Dependency cycle: a → b → c → a');
  });

  it('rejects ids that cannot be namespaces', () => {
    expect(graphError([probe(j, 'Users.x')])).toMatch(/Plugin id "Users.x" may only hold/);
  });

  it('Kernel.create rejects a bad graph and reserved ids before touching the data dir', async () => {
    const dataDir = '/nonexistent/keyward';
    await expect(Kernel.create({ dataDir, plugins: [probe(j, 'x'), probe(j, 'x')] })).rejects.toThrow(KernelError);
    await expect(Kernel.create({ dataDir, plugins: [probe(j, 'kernel')] })).rejects.toThrow('reserved');
  });

  it('orders dependencies first, otherwise keeps registration order', () => {
    const host = new PluginHost([
      probe(j, 'top', { requires: { b: B } }),
      probe(j, 'b', { provides: B, requires: { a: A } }),
      probe(j, 'solo'),
      probe(j, 'a', { provides: A }),
    ]);
    expect(host.order.map((d) => d.id)).toEqual(['a', 'b', 'top', 'solo']);
  });
});

describe('plugin activation and disposal', () => {
  let tk: TestKernel | undefined;
  afterEach(async () => {
    await tk?.cleanup();
    tk = undefined;
  });

  it('activates in dependency order with resolved services, and disposes in reverse on stop', async () => {
    const journal: string[] = [];
    tk = await createTestKernel({
      plugins: [
        probe(journal, 'top', { requires: { b: B }, optional: { a: A, c: C } }),
        probe(journal, 'b', { provides: B, requires: { a: A } }),
        probe(journal, 'a', { provides: A }),
      ],
    });
    expect(journal).toEqual(['start a', 'start b (a=a)', 'start top (b=b,a=a,c=none)']);
    expect(tk.kernel.report()).toEqual([
      { id: 'top', status: 'active' },
      { id: 'b', status: 'active' },
      { id: 'a', status: 'active' },
    ]);
    journal.length = 0;
    await tk.kernel.stop();
    expect(journal).toEqual(['stop top', 'stop b', 'stop a']);
    expect(tk.kernel.state).toBe('locked');
  });

  it('isolates a failing plugin: it is disposed and failed, its dependents skipped, the rest active', async () => {
    const journal: string[] = [];
    const plugins = [
      probe(journal, 'a', { provides: A }),
      probe(journal, 'b', { provides: B, requires: { a: A }, fail: true }),
      probe(journal, 'c', { provides: C, requires: { b: B } }),
      probe(journal, 'd', { requires: { c: C } }),
      probe(journal, 'e', { requires: { a: A }, optional: { b: B } }),
    ];
    const dataDir = (tk = await createTestKernel({ plugins: [] })).dataDir;
    await tk.kernel.stop();
    const kernel = await Kernel.create({ dataDir, plugins });
    await kernel.commands.execute('kernel.unlock', { passphrase: tk.passphrase });
    expect(kernel.state).toBe('ready');
    expect(kernel.report()).toEqual([
      { id: 'a', status: 'active' },
      { id: 'b', status: 'failed', reason: 'b cannot start' },
      { id: 'c', status: 'skipped', reason: 'requires "test:B" from plugin "b", which is failed' },
      { id: 'd', status: 'skipped', reason: 'requires "test:C" from plugin "c", which is skipped' },
      { id: 'e', status: 'active' },
    ]);
    // b's own registrations were undone right away; e got no b.
    expect(journal).toEqual(['start a', 'start b (a=a)', 'stop b', 'start e (a=a,b=none)']);
    journal.length = 0;
    await kernel.stop();
    expect(journal).toEqual(['stop e', 'stop a']);
  });

  it('fails a plugin that provides a token but returns nothing', async () => {
    const empty = definePlugin({ id: 'empty', provides: A, activate: () => undefined as never });
    const plugins = [empty, probe([], 'user', { requires: { a: A } })];
    const dataDir = (tk = await createTestKernel({ plugins: [] })).dataDir;
    await tk.kernel.stop();
    const kernel = await Kernel.create({ dataDir, plugins });
    await kernel.commands.execute('kernel.unlock', { passphrase: tk.passphrase });
    expect(kernel.report()[0]).toEqual({ id: 'empty', status: 'failed', reason: 'activate() returned nothing but the plugin provides "test:A"' });
    expect(kernel.report()[1].status).toBe('skipped');
    await kernel.stop();
  });
});
