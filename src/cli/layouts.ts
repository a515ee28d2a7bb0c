/**
 * `keyward layouts …`: the Layout button on the command line, over the layouts plugin's commands.
 * `show --json` writes what `set` reads back, so a layout can be edited as a file.
 */
import type { JsonValue } from '../kernel/index.js';
import type { Layout, LayoutInfo, RenderResult } from '../../plugins/layouts/tokens.js';
import type { CliCommand } from './commands.js';
import { CommandError, UsageError } from './errors.js';
import { readInputFile } from './files.js';

const json = (v: unknown) => v as JsonValue;

function layoutId(operand: string | undefined, words: string[]): string {
  if (!operand) throw new UsageError(`keyward ${words.join(' ')} needs the layout's name (see "keyward layouts list")`, words);
  return operand;
}

/**
 * The change a file holds: a `.json` file is `{template?, fields?}` (as `layouts show --json` prints;
 * other keys are ignored), any other file is the Handlebars template itself.
 */
export function readLayoutFile(file: string): { template?: JsonValue; fields?: JsonValue } {
  const text = readInputFile(file).toString('utf8');
  if (!file.toLowerCase().endsWith('.json')) return { template: text };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new CommandError('E_FILE', `${file}: not valid JSON (${(err as Error).message})`, { file });
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new CommandError('E_FILE', `${file}: must be a JSON object with "template" and/or "fields"`, { file });
  }
  const { template, fields } = parsed as Record<string, JsonValue>;
  if (template === undefined && fields === undefined) throw new CommandError('E_FILE', `${file}: has neither "template" nor "fields"`, { file });
  return { ...(template !== undefined ? { template } : {}), ...(fields !== undefined ? { fields } : {}) };
}

const fieldLines = (fields: Record<string, string>) =>
  Object.entries(fields).map(([name, text]) => `  ${name}: ${text.replace(/\n/g, '\n    ')}`);

export const LAYOUT_COMMANDS: CliCommand[] = [
  {
    words: ['layouts', 'list'],
    summary: 'List the layouts of letters and certificates; changed ones are marked',
    options: [],
    async run(session) {
      const list = await session.execute<LayoutInfo[]>('layouts.list');
      const width = Math.max(0, ...list.map((l) => l.id.length));
      const lines = list.map((l) => `${l.id.padEnd(width)}  ${l.label}${l.custom ? '  [changed]' : ''}`);
      return { result: json(list), text: lines.join('\n') };
    },
  },
  {
    words: ['layouts', 'show'],
    operand: '<NAME>',
    summary: 'Show a layout: its fields and Handlebars template (--json gives a file "layouts set" reads back)',
    options: [],
    async run(session, _args, operand) {
      const l = await session.execute<Layout>('layouts.show', { id: layoutId(operand, ['layouts', 'show']) });
      const text = [`${l.id}: ${l.label} (${l.custom ? 'changed' : 'default'})`, 'Fields:', ...fieldLines(l.fields), 'Template:', l.template].join('\n');
      return { result: json(l), text };
    },
  },
  {
    words: ['layouts', 'set'],
    operand: '<NAME> <FILE>',
    summary: 'Change a layout from FILE: a template (.hbs/.html) or JSON {"template", "fields"}; lists unknown $VARIABLES',
    options: [],
    async run(session, args, operand) {
      const words = ['layouts', 'set'];
      const id = layoutId(operand, words);
      const file = args.words[words.length + 1];
      if (!file) throw new UsageError('keyward layouts set needs the file with the template or the fields', words);
      const change = readLayoutFile(file);
      const l = await session.execute<Layout>('layouts.set', { id, ...change });
      const { warnings } = await session.execute<RenderResult>('layouts.preview', { id });
      const text = [`Saved layout ${l.id} from ${file}.`, ...warnings.map((w) => `Warning: ${w}`)].join('\n');
      return { result: json({ ...l, warnings }), text };
    },
  },
  {
    words: ['layouts', 'reset'],
    operand: '<NAME>',
    summary: 'Go back to the default layout, dropping the changes (asks to confirm; --yes)',
    options: [],
    async run(session, _args, operand) {
      const l = await session.execute<Layout>('layouts.reset', { id: layoutId(operand, ['layouts', 'reset']) });
      return { result: json(l), text: `Layout ${l.id} is back to its default.` };
    },
  },
];
