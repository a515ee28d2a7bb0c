import type { Disposable, Hook, HookRegistry } from '../api.js';

interface Handler {
  fn: (payload: any) => void | Promise<void>;
  order: number;
  seq: number;
}

/** Async hook points: handlers run one after another, lowest `order` first, ties in registration order. */
export class Hooks implements HookRegistry {
  private readonly handlers = new Map<string, Handler[]>();
  private seq = 0;

  on<T>(hook: Hook<T>, fn: (payload: T) => void | Promise<void>, order = 100): Disposable {
    const handler: Handler = { fn, order, seq: this.seq++ };
    const list = [...(this.handlers.get(hook.id) ?? []), handler];
    this.handlers.set(hook.id, list.sort((a, b) => a.order - b.order || a.seq - b.seq));
    return {
      dispose: () => void this.handlers.set(hook.id, (this.handlers.get(hook.id) ?? []).filter((h) => h !== handler)),
    };
  }

  /** Runs every handler in turn with the same payload (which they may change) and returns it. */
  async run<T>(hook: Hook<T>, payload: T): Promise<T> {
    // A snapshot: handlers registered or disposed while running take effect on the next run.
    for (const h of [...(this.handlers.get(hook.id) ?? [])]) await h.fn(payload);
    return payload;
  }
}
