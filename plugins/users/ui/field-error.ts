/** Reading a refusal that names a field (E_INVALID_FIELD, E_NUMBER_IN_USE) out of a bridge error. */
import { InvokeError } from '../../../src/shell/ui/index.js';
import type { FieldProblem } from './types.js';

/**
 * The field and reason of a refusal, or undefined for other errors. A number in use has no
 * field in its details; it is always about the number typed (`numberField`).
 */
export function fieldProblem(err: unknown, numberField: string): FieldProblem | undefined {
  if (!(err instanceof InvokeError)) return undefined;
  const d = err.details as Partial<FieldProblem> | undefined;
  if (err.code === 'E_INVALID_FIELD' && typeof d?.field === 'string') return { field: d.field, reason: d.reason ?? err.message };
  if (err.code === 'E_NUMBER_IN_USE') return { field: typeof d?.field === 'string' ? d.field : numberField, reason: err.message };
  return undefined;
}
