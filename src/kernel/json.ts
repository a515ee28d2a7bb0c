/** Where a value stops being JSON-safe, and what was found there. */
export interface NonJson {
  /** `args.setup.crs`, `result[3]`. */
  path: string;
  /** `Uint8Array`, `function`, `NaN`, `circular reference`, … — never the value itself. */
  kind: string;
}

/**
 * Finds the first part of `value` that would not survive `JSON.stringify`/`JSON.parse` unchanged.
 * Object properties that are `undefined` are allowed (they are how optional fields look in TypeScript
 * and simply vanish); `undefined` elsewhere, non-finite numbers, bigints, functions, symbols and
 * non-plain objects (Date, Uint8Array, Map, class instances) are not.
 */
export function findNonJson(value: unknown, path: string, seen: object[] = []): NonJson | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : { path, kind: String(value) };
    case 'object':
      break;
    default:
      return { path, kind: typeof value };
  }
  if (value === null) return undefined;
  if (seen.includes(value)) return { path, kind: 'circular reference' };
  seen.push(value);
  try {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const bad = findNonJson(value[i], `${path}[${i}]`, seen);
        if (bad) return bad;
      }
      return undefined;
    }
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return { path, kind: value.constructor?.name || 'object' };
    for (const [key, v] of Object.entries(value)) {
      if (v === undefined) continue;
      const bad = findNonJson(v, `${path}.${key}`, seen);
      if (bad) return bad;
    }
    return undefined;
  } finally {
    seen.pop();
  }
}
