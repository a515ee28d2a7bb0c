import type { Disposable, LayoutDefinition, LayoutRegistry } from '../api.js';
import { Keyed } from './keyed.js';

/** Handlebars layouts (letters, certificates) that plugins register and the letters plugin renders. */
export class Layouts implements LayoutRegistry {
  private readonly items = new Keyed<LayoutDefinition>('Layout');

  register(def: LayoutDefinition): Disposable {
    return this.items.add(def);
  }

  get(id: string): LayoutDefinition | undefined {
    return this.items.get(id);
  }

  list(): LayoutDefinition[] {
    return this.items.values().sort((a, b) => a.id.localeCompare(b.id));
  }
}
