import QRCode from 'qrcode';
import { CommandError, type Collection, type LayoutDefinition, type LayoutRegistry } from '../../src/kernel/index.js';
import { renderLayout } from './render.js';
import type { ILayouts, Layout, LayoutChange, LayoutInfo, RenderOptions, RenderResult } from './tokens.js';
import { SAMPLE_DATA, SAMPLE_NOW, type LetterData } from './variables.js';

/**
 * A custom layout as saved: only what differs from the default, so fields the administrator never
 * touched follow the default (also when an upgrade changes it).
 */
export interface CustomLayoutDoc {
  _id: string;
  template?: string;
  fields?: Record<string, string>;
  updatedAt: string;
}

/** Bounds that keep a pasted file from filling the vault; real layouts are a few kilobytes. */
const TEMPLATE_MAX = 256 * 1024;
const FIELD_MAX = 8 * 1024;
const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

/** The editor's preview data: the manual's examples plus what the default gateway and certificate layouts show. */
const PREVIEW_DATA: LetterData = {
  ...SAMPLE_DATA,
  engines: 3,
  rows: ['SAMPLE 0001 E3B0 C442 98FC 1C14 · 7F', 'SAMPLE 0002 9AFB F4C8 996F B924 · 2C'],
};
const PREVIEW_QR_TEXT = 'Keyward layout preview: sample only, no keys';

function invalid(field: string, why: string): CommandError {
  return new CommandError('E_INVALID_ARGS', `${field}: ${why}`, { field });
}

/** Check a change's shape and bounds (the template's syntax is checked by rendering it). */
export function checkChange(change: unknown): LayoutChange {
  if (!change || typeof change !== 'object' || Array.isArray(change)) throw invalid('layout', 'must be an object with template and/or fields');
  const { template, fields } = change as Record<string, unknown>;
  if (template !== undefined) {
    if (typeof template !== 'string') throw invalid('template', 'must be a text');
    if (template.length > TEMPLATE_MAX) throw invalid('template', `must be at most ${TEMPLATE_MAX} characters`);
  }
  if (fields !== undefined) {
    if (!fields || typeof fields !== 'object' || Array.isArray(fields)) throw invalid('fields', 'must be an object of field texts');
    for (const [name, text] of Object.entries(fields)) {
      if (!FIELD_NAME.test(name)) throw invalid(`fields.${name}`, 'a field name is a letter followed by letters, digits, _ or -');
      if (typeof text !== 'string') throw invalid(`fields.${name}`, 'must be a text');
      if (text.length > FIELD_MAX) throw invalid(`fields.${name}`, `must be at most ${FIELD_MAX} characters`);
    }
  }
  return { template: template as string | undefined, fields: fields as Record<string, string> | undefined };
}

/** Layouts: registered defaults merged with custom versions held in memory and saved in the `layouts` collection. */
export class LayoutsService implements ILayouts {
  private readonly custom = new Map<string, CustomLayoutDoc>();
  private previewQr?: Promise<string>;

  constructor(
    private readonly registry: LayoutRegistry,
    private readonly store: Collection<CustomLayoutDoc>,
  ) {}

  async load(): Promise<void> {
    for (const doc of await this.store.find({})) this.custom.set(doc._id, doc);
  }

  list(): LayoutInfo[] {
    return this.registry.list().map((def) => {
      const { template: _template, ...info } = this.merge(def, this.custom.get(def.id));
      return info;
    });
  }

  get(id: string): Layout {
    return this.merge(this.definition(id), this.custom.get(id));
  }

  async set(id: string, change: LayoutChange): Promise<Layout> {
    const def = this.definition(id);
    const checked = checkChange(change);
    const current = this.get(id);
    const next = { template: checked.template ?? current.template, fields: { ...current.fields, ...checked.fields } };
    renderLayout({ ...next, now: SAMPLE_NOW }, PREVIEW_DATA); // refuses what does not render

    const defaults = def.fields ?? {};
    const fields = Object.fromEntries(Object.entries(next.fields).filter(([name, text]) => defaults[name] !== text));
    const doc: CustomLayoutDoc = { _id: id, updatedAt: new Date().toISOString() };
    if (next.template !== def.template) doc.template = next.template;
    if (Object.keys(fields).length) doc.fields = fields;

    if (doc.template === undefined && doc.fields === undefined) {
      await this.store.remove({ _id: id }, { multi: false }); // back to the default: nothing custom left to keep
      this.custom.delete(id);
    } else {
      await this.store.update({ _id: id }, doc, { upsert: true });
      this.custom.set(id, doc);
    }
    return this.get(id);
  }

  async reset(id: string): Promise<Layout> {
    this.definition(id);
    await this.store.remove({ _id: id }, { multi: false });
    this.custom.delete(id);
    return this.get(id);
  }

  render(id: string, data: LetterData, opts: RenderOptions = {}): RenderResult {
    const { template, fields } = this.get(id);
    return renderLayout({ template, fields, now: opts.now }, data);
  }

  /** Render the layout, with an unsaved change applied, from the manual's sample data and a sample QR code. */
  async preview(id: string, change: LayoutChange = {}): Promise<RenderResult> {
    const checked = checkChange(change);
    const current = this.get(id);
    this.previewQr ??= QRCode.toDataURL(PREVIEW_QR_TEXT, { errorCorrectionLevel: 'M', margin: 2, scale: 8 });
    return renderLayout(
      {
        template: checked.template ?? current.template,
        fields: { ...current.fields, ...checked.fields },
        now: SAMPLE_NOW,
        placeholderQr: await this.previewQr,
      },
      PREVIEW_DATA,
    );
  }

  private definition(id: unknown): LayoutDefinition {
    const def = typeof id === 'string' ? this.registry.get(id) : undefined;
    if (!def) {
      const known = this.registry.list().map((d) => d.id).join(', ') || 'none';
      throw new CommandError('E_UNKNOWN_LAYOUT', `no layout "${String(id)}" (layouts: ${known})`, { field: 'id' });
    }
    return def;
  }

  private merge(def: LayoutDefinition, doc: CustomLayoutDoc | undefined): Layout {
    return {
      id: def.id,
      label: def.label,
      custom: doc !== undefined,
      template: doc?.template ?? def.template,
      fields: { ...def.fields, ...doc?.fields },
    };
  }
}
