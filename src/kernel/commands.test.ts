import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandErrorInfo, JsonValue, Progress } from './api.js';
import { CommandError, KernelError } from './errors.js';
import { definePlugin } from './plugin.js';
import { createTestKernel, type TestKernel } from './testing.js';

const SECRET = 'ARG-SECRET-7f3a9c';

/** Runs a command and returns the error it failed with, as it crosses the bridge. */
async function failure(tk: TestKernel, id: string, args?: JsonValue, opts = {}): Promise<CommandErrorInfo> {
  try {
    await tk.kernel.commands.execute(id, args, opts);
  } catch (err) {
    expect(err).toBeInstanceOf(CommandError);
    return JSON.parse(JSON.stringify(err));
  }
  throw new Error(`${id} succeeded`);
}

const tools = definePlugin({
  id: 't',
  activate(ctx) {
    ctx.commands.register<{ name: string; secret: string }, { greeting: string }>({
      id: 't.greet',
      title: 'Greet',
      audit: (args, result) => ({ target: args.name, details: { length: result.greeting.length } }),
      handler: ({ name }) => ({ greeting: `hello ${name}` }),
    });
    ctx.commands.register({ id: 't.plain', title: 'Plain', handler: () => 'done' });
    ctx.commands.register<{ secret: string }, null>({
      id: 't.leaky',
      title: 'Leaky audit',
      audit: (args) => ({ details: { secret: args.secret } }),
      handler: () => null,
    });
    ctx.commands.register({ id: 't.quiet', title: 'Quiet', audit: false, handler: () => 1 });
    ctx.commands.register({
      id: 't.refuse',
      title: 'Refuse',
      handler: () => {
        throw new CommandError('E_NO_SUCH_USER', 'No user +4670000000', { e164: '+4670000000' });
      },
    });
    ctx.commands.register<{ secret: string }, void>({
      id: 't.crash',
      title: 'Crash',
      handler: ({ secret }) => {
        throw new Error(`could not use ${secret}`);
      },
    });
    ctx.commands.register({ id: 't.bytes', title: 'Bytes', handler: () => ({ key: new Uint8Array(4) }) as never });
    ctx.commands.register<{ steps: number }, number>({
      id: 't.count',
      title: 'Count',
      async handler({ steps }, c) {
        for (let done = 1; done <= steps; done++) {
          await new Promise((r) => setTimeout(r, 5));
          c.signal.throwIfAborted();
          c.progress({ done, total: steps, message: `step ${done}` });
        }
        return steps;
      },
    });
    ctx.commands.register<{ steps: number }, { inner: number; actor: string }>({
      id: 't.outer',
      title: 'Outer',
      async handler(args, c) {
        const inner = await c.execute<{ steps: number }, number>('t.count', args);
        return { inner, actor: c.actor };
      },
    });
    ctx.commands.register({ id: 't.outer-refuse', title: 'Outer refuse', handler: (_a, c) => c.execute('t.refuse', null) });
  },
});

describe('command registry', () => {
  let tk: TestKernel;
  beforeAll(async () => {
    tk = await createTestKernel({ plugins: [tools] });
  });
  afterAll(() => tk.cleanup());

  it('runs a command with JSON arguments and lists it with its plugin', async () => {
    expect(await tk.kernel.commands.execute('t.greet', { name: 'Ada', secret: SECRET })).toEqual({ greeting: 'hello Ada' });
    expect(tk.kernel.commands.list().find((c) => c.id === 't.greet')).toEqual({ id: 't.greet', title: 'Greet', destructive: false, pluginId: 't' });
    expect(tk.kernel.commands.list().find((c) => c.id === 'kernel.init')?.pluginId).toBe('kernel');
  });

  it('passes a CommandError on as {code, message, details}', async () => {
    expect(await failure(tk, 't.refuse')).toEqual({ code: 'E_NO_SUCH_USER', message: 'No user +4670000000', details: { e164: '+4670000000' } });
    expect(new CommandError('E_X', 'x').toJSON()).toEqual({ code: 'E_X', message: 'x' });
  });

  it('reduces any other error to E_INTERNAL without echoing it (it may hold an argument)', async () => {
    const err = await failure(tk, 't.crash', { secret: SECRET });
    expect(err).toEqual({ code: 'E_INTERNAL', message: 't.crash failed with an internal error' });
  });

  it('rejects arguments that are not JSON-safe with E_INVALID_ARGS naming where, not what', async () => {
    const err = await failure(tk, 't.greet', { name: 'x', secret: SECRET, nested: [1, new Uint8Array([1, 2])] } as never);
    expect(err).toEqual({ code: 'E_INVALID_ARGS', message: 't.greet: args.nested[1] is not JSON-safe (Uint8Array)' });
    expect((await failure(tk, 't.greet', { n: NaN })).message).toBe('t.greet: args.n is not JSON-safe (NaN)');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect((await failure(tk, 't.greet', cyclic as never)).message).toBe('t.greet: args.self is not JSON-safe (circular reference)');
  });

  it('rejects a result that is not JSON-safe with E_INTERNAL', async () => {
    expect(await failure(tk, 't.bytes')).toEqual({ code: 'E_INTERNAL', message: 't.bytes: result.key is not JSON-safe (Uint8Array)' });
  });

  it('answers an unknown command with E_UNKNOWN_COMMAND', async () => {
    expect(await failure(tk, 't.nope')).toEqual({ code: 'E_UNKNOWN_COMMAND', message: 'Unknown command "t.nope"' });
  });

  it('reports progress', async () => {
    const seen: Progress[] = [];
    expect(await tk.kernel.commands.execute('t.count', { steps: 3 }, { onProgress: (p) => seen.push(p) })).toBe(3);
    expect(seen).toEqual([1, 2, 3].map((done) => ({ done, total: 3, message: `step ${done}` })));
  });

  it('cancels through the AbortSignal with E_CANCELLED', async () => {
    const abort = new AbortController();
    const seen: number[] = [];
    const onProgress = (p: Progress) => {
      seen.push(p.done);
      if (p.done === 2) abort.abort();
    };
    const err = await failure(tk, 't.count', { steps: 100 }, { signal: abort.signal, onProgress });
    expect(err).toEqual({ code: 'E_CANCELLED', message: 't.count was cancelled' });
    expect(seen).toEqual([1, 2]);
    // Already cancelled: the handler does not run at all.
    const none: number[] = [];
    await failure(tk, 't.count', { steps: 1 }, { signal: abort.signal, onProgress: (p: Progress) => none.push(p.done) });
    expect(none).toEqual([]);
  });

  it('runs nested commands with the same actor, progress sink and signal', async () => {
    const seen: number[] = [];
    const result = await tk.kernel.commands.execute('t.outer', { steps: 2 }, { actor: 'cli', onProgress: (p) => seen.push(p.done) });
    expect(result).toEqual({ inner: 2, actor: 'cli' });
    expect(seen).toEqual([1, 2]);
    const abort = new AbortController();
    const cancelled = await failure(tk, 't.outer', { steps: 5 }, { signal: abort.signal, onProgress: () => abort.abort() });
    expect(cancelled).toEqual({ code: 'E_CANCELLED', message: 't.outer was cancelled' });
    expect((await failure(tk, 't.outer-refuse')).code).toBe('E_NO_SUCH_USER');
  });

  it('records every successful command in the event log with audit details, never its arguments', async () => {
    const before = (await tk.kernel.log.list({ limit: 1000 })).total;
    await tk.kernel.commands.execute('t.greet', { name: 'Grace', secret: SECRET }, { actor: 'cli' });
    await tk.kernel.commands.execute('t.plain', { secret: SECRET });
    await tk.kernel.commands.execute('t.quiet', { secret: SECRET });
    await failure(tk, 't.crash', { secret: SECRET });
    await tk.kernel.commands.execute('t.outer', { steps: 1 });
    const { total, records } = await tk.kernel.log.list({ limit: 1000 });
    const recent = records.slice(0, total - before).reverse();
    expect(recent.map(({ actor, action, target, details }) => ({ actor, action, target, details }))).toEqual([
      { actor: 'cli', action: 't.greet', target: 'Grace', details: { length: 11 } },
      { actor: 'admin', action: 't.plain', target: undefined, details: undefined },
      // t.quiet is audit:false, t.crash failed; a nested command is recorded on its own, inner first.
      { actor: 'admin', action: 't.count', target: undefined, details: undefined },
      { actor: 'admin', action: 't.outer', target: undefined, details: undefined },
    ]);
    expect(JSON.stringify(records)).not.toContain(SECRET);
    for (const name of await readdir(tk.dataDir)) {
      expect(await readFile(join(tk.dataDir, name), 'utf8'), name).not.toContain(SECRET);
    }
  });

  it('fails with E_AUDIT when the record is refused (here: a details key naming a secret), without the value', async () => {
    expect(await failure(tk, 't.leaky', { secret: SECRET })).toEqual({
      code: 'E_AUDIT',
      message:
        't.leaky was carried out but could not be recorded in the event log: event record: details.secret looks like a secret; secrets are never written to the event log',
    });
  });

  it('rejects duplicate and un-namespaced command ids, and forgets a disposed command', async () => {
    const reg = tk.kernel.commands;
    expect(() => reg.register({ id: 't.greet', title: 'again', handler: () => null })).toThrow(
      new KernelError('Command "t.greet" is already registered by plugin "t"'),
    );
    expect(() => reg.register({ id: 'greet', title: 'bare', handler: () => null })).toThrow(KernelError);
    const d = reg.register({ id: 'x.temp', title: 'Temp', handler: () => null });
    expect(await reg.execute('x.temp')).toBeNull();
    await d.dispose();
    expect((await failure(tk, 'x.temp')).code).toBe('E_UNKNOWN_COMMAND');
  });
});
