/** A command's `E_INVALID_ARGS` shown at its input: the field it names and the reason, capitalised. */
import { InvokeError } from '../../../src/shell/ui/index.js';

/** `{ field: reason }` when `err` names a field starting with `prefix`; undefined otherwise (notify it). */
export function fieldProblem(err: unknown, prefix: string): Record<string, string> | undefined {
  const field = err instanceof InvokeError ? (err.details as { field?: string } | undefined)?.field : undefined;
  if (!field?.startsWith(prefix)) return undefined;
  // "crs.address: must be …" → "Must be …"
  return { [field]: (err as Error).message.replace(/^[^:]+: (.)/, (_m, c: string) => c.toUpperCase()) };
}
