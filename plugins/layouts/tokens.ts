import { token } from '../../src/kernel/index.js';
import type { LetterData } from './variables.js';

export type { LetterData } from './variables.js';

/** A layout as listed: whether the administrator changed it, and its field texts. */
export interface LayoutInfo {
  [key: string]: string | boolean | Record<string, string>;
  id: string;
  label: string;
  /** True when a custom version is saved in the data dir. */
  custom: boolean;
  /** Editable text fields by name (may hold `$VARIABLES`). */
  fields: Record<string, string>;
}

/** A layout with its Handlebars template: the custom version when saved, else the registered default. */
export interface Layout extends LayoutInfo {
  template: string;
}

/** What an administrator changes: the template, some fields, or both. Fields not named keep their text. */
export interface LayoutChange {
  template?: string;
  fields?: Record<string, string>;
}

export interface RenderOptions {
  /** The export time for the time variables: a Date (this machine's zone) or ISO 8601 with an offset. Default: now. */
  now?: Date | string;
}

export interface RenderResult {
  [key: string]: string | string[];
  html: string;
  /** Unknown `$WORD`s (left as written) and other things the administrator should fix, in plain words. */
  warnings: string[];
}

/**
 * Layouts of letters and certificates: defaults registered by plugins through `ctx.layouts`,
 * custom versions saved in the vault collection `layouts` (so backups include them) and held in
 * memory, so reading and rendering are synchronous.
 * Errors are CommandErrors: `E_UNKNOWN_LAYOUT`, `E_INVALID_LAYOUT` (naming the line or field).
 */
export interface ILayouts {
  list(): LayoutInfo[];
  get(id: string): Layout;
  /** Validate (the template must parse) and save a custom version; returns the layout as now in effect. */
  set(id: string, change: LayoutChange): Promise<Layout>;
  /** Drop the custom version; returns the default. */
  reset(id: string): Promise<Layout>;
  /**
   * Render to HTML: `$VARIABLES` expanded in the template and every field (values escaped), plus
   * Handlebars with the data, `{{field "name"}}` and `{{qr "name"}}` (an <img> of `data.qr[name]`).
   */
  render(id: string, data: LetterData, opts?: RenderOptions): RenderResult;
}
export const ILayouts = token<ILayouts>('layouts:ILayouts');
