import type { Hook, PluginDefinition, TokenMap } from './api.js';

/**
 * Declares a plugin. Returns the definition unchanged; its job is type inference:
 * `activate`'s second argument is typed from `requires` (present) and `optional`
 * (possibly `undefined`), and its return value must match `provides`.
 */
export function definePlugin<D extends TokenMap = {}, O extends TokenMap = {}, P = void>(
  def: PluginDefinition<D, O, P>,
): PluginDefinition<D, O, P> {
  return def;
}

/** Declares a typed hook point (`updates.contribute`); handlers receive a `T`. */
export function defineHook<T>(id: string): Hook<T> {
  return Object.freeze({ id });
}
