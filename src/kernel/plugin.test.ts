import { describe, expect, it } from 'vitest';
import { defineHook, definePlugin } from './plugin.js';
import { token } from './token.js';

interface IClock {
  now(): number;
}
const IClock = token<IClock>('test:IClock');
interface INames {
  names(): string[];
}
const INames = token<INames>('test:INames');

describe('token, definePlugin, defineHook', () => {
  it('token and hook carry their id and are frozen', () => {
    expect(IClock.id).toBe('test:IClock');
    expect(Object.isFrozen(IClock)).toBe(true);
    const hook = defineHook<{ n: number }>('test.hook');
    expect(hook.id).toBe('test.hook');
    expect(Object.isFrozen(hook)).toBe(true);
  });

  it('returns the definition unchanged', () => {
    const def = { id: 'p', activate: () => undefined };
    expect(definePlugin(def)).toBe(def);
  });

  it('types activate deps from requires (present) and optional (maybe undefined), and the result from provides', () => {
    // Compile-time assertions: `npx tsc --noEmit -p .` fails if inference regresses.
    const plugin = definePlugin({
      id: 'typed',
      requires: { clock: IClock },
      optional: { names: INames },
      provides: INames,
      activate(_ctx, { clock, names }) {
        const t: number = clock.now();
        // @ts-expect-error optional deps may be undefined
        names.names();
        return { names: () => [String(t), ...(names?.names() ?? [])] };
      },
    });
    definePlugin({
      id: 'wrong-service',
      provides: IClock,
      // @ts-expect-error activate must return what `provides` names
      activate: () => ({ names: () => [] }),
    });
    definePlugin({
      id: 'unknown-dep',
      requires: { clock: IClock },
      // @ts-expect-error only declared dependencies exist
      activate: (_ctx, { calendar }) => calendar,
    });
    expect(plugin.requires?.clock).toBe(IClock);
  });
});
