import type { Disposable } from '../api.js';
import { KernelError } from '../errors.js';

/**
 * A map of registrations by id that rejects duplicates and hands back a Disposable
 * removing exactly what it added. Menus, layouts and flags are all this.
 */
export class Keyed<T extends { id: string }> {
  private readonly items = new Map<string, T>();

  constructor(private readonly kind: string) {}

  add(item: T): Disposable {
    if (this.items.has(item.id)) throw new KernelError(`${this.kind} "${item.id}" is already registered`);
    this.items.set(item.id, item);
    return { dispose: () => void (this.items.get(item.id) === item && this.items.delete(item.id)) };
  }

  get(id: string): T | undefined {
    return this.items.get(id);
  }

  values(): T[] {
    return [...this.items.values()];
  }
}
