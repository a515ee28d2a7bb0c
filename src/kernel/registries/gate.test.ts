import { describe, expect, it } from 'vitest';
import { CommandError } from '../errors.js';
import { CommandBus } from './commands.js';

/** A promise and the function that settles it. */
function later(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('exclusive commands', () => {
  it('wait for running commands, hold new ones back, and may run commands of their own', async () => {
    const bus = new CommandBus({ unknown: (id) => new CommandError('E_UNKNOWN_COMMAND', id), log: () => undefined });
    const order: string[] = [];
    const slow = later();
    bus.register({ id: 't.slow', title: 'slow', handler: async () => void (order.push('slow start'), await slow.promise, order.push('slow end')) });
    bus.register({ id: 't.quick', title: 'quick', handler: () => void order.push('quick') });
    bus.register({
      id: 't.alone',
      title: 'alone',
      exclusive: true,
      handler: async (_args, ctx) => {
        order.push('alone start');
        await ctx.execute('t.quick', undefined); // its own sub-command is not held back
        await new Promise((r) => setTimeout(r, 20));
        order.push('alone end');
      },
    });
    const running = bus.execute('t.slow');
    await new Promise((r) => setTimeout(r, 5));
    const alone = bus.execute('t.alone');
    await new Promise((r) => setTimeout(r, 5));
    expect(order).toEqual(['slow start']); // the exclusive one waits
    slow.resolve();
    await new Promise((r) => setTimeout(r, 5));
    const after = bus.execute('t.quick'); // arrives while the exclusive one runs
    await Promise.all([running, alone, after]);
    expect(order).toEqual(['slow start', 'slow end', 'alone start', 'quick', 'alone end', 'quick']);
  });

  it('runs a command that waited through an exclusive one on the registration that is current when its turn comes', async () => {
    const bus = new CommandBus({ unknown: (id) => new CommandError('E_UNKNOWN_COMMAND', id), log: () => undefined });
    const gone = bus.register({ id: 't.read', title: 'read', handler: () => 'old' });
    const go = later();
    bus.register({
      id: 't.replace',
      title: 'replace',
      exclusive: true,
      handler: async () => {
        await go.promise;
        // As a restore does: the plugins stop and start again, registering anew.
        await gone.dispose();
        bus.register({ id: 't.read', title: 'read', handler: () => 'new' });
      },
    });
    const replacing = bus.execute('t.replace');
    const read = bus.execute('t.read');
    go.resolve();
    await replacing;
    expect(await read).toBe('new');
  });
});
