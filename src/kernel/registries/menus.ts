import type { Disposable, MenuItem, MenuRegistry } from '../api.js';
import { KernelError } from '../errors.js';
import { Keyed } from './keyed.js';

/** Menu items the shell builds its navigation from; each names the Lit element it mounts. */
export class Menus implements MenuRegistry {
  private readonly items = new Keyed<MenuItem>('Menu item');

  register(item: MenuItem): Disposable {
    // Custom element names must contain a hyphen (HTML spec, "valid custom element name").
    if (!/^[a-z][a-z0-9]*-[a-z0-9-]*$/.test(item.element)) {
      throw new KernelError(`Menu item "${item.id}": element "${item.element}" is not a valid custom element name`);
    }
    return this.items.add({ ...item });
  }

  /** Sorted by `order`, then id. */
  list(): MenuItem[] {
    return this.items.values().sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
  }
}
