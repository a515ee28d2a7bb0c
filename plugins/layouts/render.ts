/**
 * Renders a layout: the manual's `$VARIABLES` in the template become calls of the `variable` helper
 * (so a value can never be read as Handlebars or HTML), then Handlebars runs with the data and the
 * `field`, `qr` and `variable` helpers. Everything that reaches the page is escaped.
 */
import Handlebars from 'handlebars';
import { CommandError } from '../../src/kernel/index.js';
import type { RenderResult } from './tokens.js';
import { escapeHtml, expandToHtml, tokenize, unknownVariables, variableValues, type LetterData } from './variables.js';

/** What one render needs besides the data. */
export interface RenderInput {
  template: string;
  fields: Record<string, string>;
  now?: Date | string;
  /** Shown for any `{{qr}}` the data lacks (the editor's preview), instead of a warning. */
  placeholderQr?: string;
}

/** Per-render state the helpers read from Handlebars' private `@kw` data. */
interface RenderState {
  values: Record<string, string>;
  fields: Record<string, string>;
  qr: Record<string, string>;
  placeholderQr?: string;
  warnings: string[];
}

/** QR codes are images the caller made; anything else in `src` (http:, javascript:) is refused. */
const QR_DATA_URL = /^data:image\/(?:png|gif|jpeg|svg\+xml);base64,[A-Za-z0-9+/]+={0,2}$/;

const hbs = Handlebars.create();
const state = (options: Handlebars.HelperOptions) => (options.data as { kw: RenderState }).kw;
const warn = (s: RenderState, message: string) => {
  if (!s.warnings.includes(message)) s.warnings.push(message);
};

hbs.registerHelper('variable', (name: string, options: Handlebars.HelperOptions) => {
  return new hbs.SafeString(escapeHtml(state(options).values[name] ?? ''));
});

hbs.registerHelper('field', (name: unknown, options: Handlebars.HelperOptions) => {
  const s = state(options);
  const text = typeof name === 'string' && Object.hasOwn(s.fields, name) ? s.fields[name] : undefined;
  if (text === undefined) {
    warn(s, `The template shows field "${String(name)}", which this layout does not have.`);
    return '';
  }
  return new hbs.SafeString(expandToHtml(text, s.values));
});

hbs.registerHelper('qr', (name: unknown, options: Handlebars.HelperOptions) => {
  const s = state(options);
  const key = String(name);
  const url = (Object.hasOwn(s.qr, key) ? s.qr[key] : undefined) ?? s.placeholderQr;
  if (url === undefined) {
    warn(s, `There is no QR code "${key}" for this layout.`);
    return '';
  }
  if (!QR_DATA_URL.test(url)) throw new CommandError('E_INVALID_LAYOUT', `QR code "${key}" is not an image data: URL`, { field: `qr.${key}` });
  return new hbs.SafeString(`<img class="qr" data-qr="${escapeHtml(key)}" src="${url}" alt="QR code">`);
});

/** Mustaches are left alone: a `$` inside `{{…}}` is Handlebars' business (and rare). */
const MUSTACHE = /\{\{[\s\S]*?\}\}\}?/g;

/** The template with each known `$VARIABLE` outside mustaches replaced by `{{variable "NAME"}}` (line breaks kept). */
function prepare(template: string): string {
  let out = '';
  let last = 0;
  const substitute = (text: string) =>
    tokenize(text)
      .map((p) => ('variable' in p ? `{{variable "${p.variable}"}}` : 'unknown' in p ? p.unknown : p.text))
      .join('');
  for (const m of template.matchAll(MUSTACHE)) {
    out += substitute(template.slice(last, m.index)) + m[0];
    last = m.index + m[0].length;
  }
  return out + substitute(template.slice(last));
}

/** Unknown `$WORD`s of the template (outside mustaches) with their line numbers, and of each field. */
function layoutWarnings(template: string, fields: Record<string, string>): string[] {
  const warnings: string[] = [];
  template.replace(MUSTACHE, (m) => m.replace(/[^\n]/g, ' ')).split('\n').forEach((line, i) => {
    for (const word of unknownVariables(line)) warnings.push(`Unknown variable ${word} in the template, line ${i + 1} (left as written).`);
  });
  for (const [name, text] of Object.entries(fields)) {
    for (const word of unknownVariables(text)) warnings.push(`Unknown variable ${word} in field "${name}" (left as written).`);
  }
  return warnings;
}

/** Handlebars' own messages say "Parse error on line N" or "… - N:C"; the line is the useful part. */
function layoutError(err: unknown): CommandError {
  if (err instanceof CommandError) return err;
  const message = (err as Error)?.message ?? String(err);
  const line = /on line (\d+)/.exec(message)?.[1] ?? / - (\d+):\d+/.exec(message)?.[1];
  const first = message.split('\n')[0]!.replace(/:$/, '');
  return new CommandError('E_INVALID_LAYOUT', `template${line ? `, line ${line}` : ''}: ${first}`, {
    field: 'template',
    ...(line ? { line: Number(line) } : {}),
  });
}

/** Compiled templates by prepared source: a batch of letters compiles its layout once. */
const compiled = new Map<string, Handlebars.TemplateDelegate>();
const COMPILED_MAX = 32;

function compile(template: string): Handlebars.TemplateDelegate {
  const source = prepare(template);
  let fn = compiled.get(source);
  if (!fn) {
    try {
      hbs.parse(source); // compile() is lazy; parse now so a syntax error names its line here
      fn = hbs.compile(source, { strict: false });
    } catch (err) {
      throw layoutError(err);
    }
    if (compiled.size >= COMPILED_MAX) compiled.delete(compiled.keys().next().value!);
    compiled.set(source, fn);
  }
  return fn;
}

/** Render a layout with the data. Bad templates and runtime failures are `E_INVALID_LAYOUT` naming the line. */
export function renderLayout(input: RenderInput, data: LetterData): RenderResult {
  const fn = compile(input.template);
  let values: Record<string, string>;
  try {
    values = variableValues(data, input.now);
  } catch (err) {
    throw new CommandError('E_INVALID_ARGS', (err as Error).message, { field: 'now' });
  }
  const kw: RenderState = {
    values,
    fields: input.fields,
    qr: data.qr ?? {},
    placeholderQr: input.placeholderQr,
    warnings: layoutWarnings(input.template, input.fields),
  };
  try {
    const html = fn(data, { data: { kw }, allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false });
    return { html, warnings: kw.warnings };
  } catch (err) {
    throw layoutError(err);
  }
}
