/** How results and errors are written: JSON for scripts (--json), readable text for people. */
import type { JsonValue } from '../kernel/index.js';
import type { CliIo } from './prompt.js';

/** Plain text of a JSON value: `key: value` lines, nested values indented, list items with "- ". */
export function formatHuman(value: JsonValue | undefined | void, indent = ''): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'object') return `${indent}${String(value)}`;
  const lines: string[] = [];
  if (Array.isArray(value)) {
    for (const item of value) {
      const text = formatHuman(item, indent + '  ');
      lines.push(typeof item === 'object' && item !== null ? `${indent}-\n${text}` : `${indent}- ${text.trimStart()}`);
    }
    return lines.join('\n');
  }
  for (const [key, v] of Object.entries(value)) {
    if (v !== null && typeof v === 'object' && (Array.isArray(v) ? v.length : Object.keys(v).length)) {
      lines.push(`${indent}${key}:`, formatHuman(v, indent + '  '));
    } else {
      const scalar = v === null ? '' : typeof v === 'object' ? (Array.isArray(v) ? '[]' : '{}') : String(v);
      lines.push(scalar ? `${indent}${key}: ${scalar}` : `${indent}${key}:`);
    }
  }
  return lines.join('\n');
}

/** Print a result: `--json` as one JSON document, else the given text (or the generic rendering). */
export function printResult(io: CliIo, json: boolean, result: JsonValue | void, text?: string): void {
  if (json) {
    io.stdout.write(JSON.stringify(result ?? null, null, 2) + '\n');
    return;
  }
  const out = text ?? formatHuman(result);
  if (out) io.stdout.write(out.endsWith('\n') ? out : out + '\n');
}

/** `error [CODE]: message` on stderr (exit 1). */
export function printError(io: CliIo, code: string, message: string): void {
  io.stderr.write(`error [${code}]: ${message}\n`);
}
