/**
 * The default layouts shipped with Keyward: `<name>.hbs` (Handlebars HTML, A4 print CSS) and
 * `<name>.fields.json` (the editable text fields with their default text) side by side here.
 * Plugins register them through `ctx.layouts` under their own ids.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** This folder. */
export const DEFAULT_LAYOUTS_DIR = path.dirname(fileURLToPath(import.meta.url));

export type DefaultLayoutName = 'user-initiation' | 'gateway-initiation' | 'domain-certificate';

/** Read a default layout's template and fields; a broken file is an error naming it. */
export function defaultLayout(name: DefaultLayoutName, dir = DEFAULT_LAYOUTS_DIR): { template: string; fields: Record<string, string> } {
  const template = fs.readFileSync(path.join(dir, `${name}.hbs`), 'utf8');
  const fieldsFile = path.join(dir, `${name}.fields.json`);
  let fields: unknown;
  try {
    fields = JSON.parse(fs.readFileSync(fieldsFile, 'utf8'));
  } catch (err) {
    throw new Error(`${fieldsFile}: ${(err as Error).message}`);
  }
  if (!fields || typeof fields !== 'object' || Array.isArray(fields)) throw new Error(`${fieldsFile}: must be an object of field texts`);
  for (const [key, value] of Object.entries(fields)) {
    if (typeof value !== 'string') throw new Error(`${fieldsFile}: field "${key}" must be a text`);
  }
  return { template, fields: fields as Record<string, string> };
}
