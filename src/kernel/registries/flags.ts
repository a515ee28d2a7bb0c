import type { Disposable, FlagDefinition, FlagInfo, FlagRegistry, JsonValue } from '../api.js';
import { KernelError } from '../errors.js';
import { findNonJson } from '../json.js';
import { Keyed } from './keyed.js';

/**
 * Feature flags: plugins declare them with a default; `keyward.config.json` sets them per deployment.
 * A config value of the wrong type is ignored (the default holds) and reported by `warnings()`.
 */
export class Flags implements FlagRegistry {
  private readonly defs = new Keyed<FlagDefinition>('Flag');

  /** `configured` is `config.flags`; `source` names the config file in warnings. */
  constructor(
    private readonly configured: Record<string, JsonValue>,
    private readonly source: string,
  ) {}

  declare<T extends JsonValue>(def: FlagDefinition<T>): Disposable {
    const bad = findNonJson(def.default, 'default');
    if (bad) throw new KernelError(`Flag "${def.id}": ${bad.path} is not JSON-safe (${bad.kind})`);
    return this.defs.add(def);
  }

  get<T extends JsonValue>(id: string): T {
    const info = this.info(id);
    if (!info) throw new KernelError(`Flag "${id}" is not declared by any active plugin`);
    return info.value as T;
  }

  list(): FlagInfo[] {
    return this.defs
      .values()
      .map((d) => this.info(d.id)!)
      .sort((a, b) => a.id.localeCompare(b.id));
  }

  /** Config flags no active plugin declares, and config values of the wrong type. */
  warnings(): string[] {
    return Object.keys(this.configured).flatMap((id) => {
      const def = this.defs.get(id);
      if (!def) return [`${this.source}: flags.${id} is not declared by any active plugin; it has no effect`];
      const want = kind(def.default);
      if (kind(this.configured[id]) !== want) return [`${this.source}: flags.${id} must be ${want} like its default; the default is used`];
      return [];
    });
  }

  private info(id: string): FlagInfo | undefined {
    const def = this.defs.get(id);
    if (!def) return undefined;
    const set = Object.hasOwn(this.configured, id) ? this.configured[id] : undefined;
    return set !== undefined && kind(set) === kind(def.default)
      ? { ...def, value: set, source: 'config' }
      : { ...def, value: def.default, source: 'default' };
  }
}

function kind(v: JsonValue): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}
