/**
 * `kw-layout-editor`: the manual's Layout button. Edit a layout's text fields or its template,
 * see it live with the manual's sample data, insert variables from the list, see unknown
 * `$WORD`s, save, or reset to the default. Set `layoutId`; fires `close` when Close is pressed.
 */
import { LitElement, css, html, type PropertyValues } from 'lit';
import { invoke, InvokeError } from '../../../src/shell/ui/bridge.js';
import { confirm } from '../../../src/shell/ui/dialog.js';
import { runCommand } from '../../../src/shell/ui/actions.js';
import { baseStyles } from '../../../src/shell/ui/styles.js';
import type { Layout, RenderResult } from '../tokens.js';
import { SAMPLE_DATA, SAMPLE_NOW, VARIABLES, variableValues } from '../variables.js';

/** Wait this long after the last keystroke before asking for a new preview. */
const PREVIEW_DELAY_MS = 250;
/** The manual's example value of each variable, shown beside its name. */
const EXAMPLES = variableValues(SAMPLE_DATA, SAMPLE_NOW);
const GROUPS = [...new Set(VARIABLES.map((v) => v.group))];

/** Preview sizes offered (1 = the printed size on a 96 dpi screen). */
const ZOOMS = [0.4, 0.6, 0.8, 1];
/** Text box height: its lines plus the wrapped length, within limits. */
const rowsFor = (text: string) => Math.min(10, Math.max(2, text.split('\n').length + Math.floor(text.length / 50)));

/** "rowsIntro" → "Rows intro". */
const fieldLabel = (name: string) => name.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase()).replace(/ [A-Z]/g, (s) => s.toLowerCase());

export class KwLayoutEditor extends LitElement {
  static override properties = {
    layoutId: { type: String, attribute: 'layout-id' },
    closable: { type: Boolean },
    layout: { state: true },
    template: { state: true },
    fields: { state: true },
    tab: { state: true },
    preview: { state: true },
    problem: { state: true },
    loadError: { state: true },
    zoom: { state: true },
  };

  static override styles = [
    baseStyles,
    css`
      :host { display: block; }
      header { display: flex; align-items: baseline; gap: 0.75rem; flex-wrap: wrap; }
      header h2 { margin: 0; }
      .badge { font-size: 0.85rem; padding: 0.1rem 0.5rem; border-radius: 1rem; background: #eef1f4; color: var(--kw-muted); }
      .badge.custom { background: #fff4d6; color: #6b4b00; }
      header .actions { margin: 0 0 0 auto; }
      .columns { display: grid; grid-template-columns: minmax(20rem, 1fr) auto; gap: 1.25rem; margin-top: 1rem; align-items: start; }
      [role='tablist'] { display: flex; gap: 0.25rem; border-bottom: 1px solid var(--kw-border); margin-bottom: 0.75rem; }
      [role='tab'] { border: 1px solid transparent; border-bottom: none; border-radius: var(--kw-radius) var(--kw-radius) 0 0; background: none; }
      [role='tab'][aria-selected='true'] { border-color: var(--kw-border); background: var(--kw-surface); font-weight: 600; margin-bottom: -1px; }
      textarea { font: inherit; resize: vertical; }
      textarea.template { font-family: var(--kw-mono); font-size: 0.85rem; min-height: 28rem; white-space: pre; }
      .warnings { margin: 0.75rem 0 0; padding-left: 1.25rem; color: #6b4b00; }
      .ok { color: var(--kw-success); margin: 0.75rem 0 0; }
      details { margin-top: 1rem; }
      summary { cursor: pointer; font-weight: 600; }
      .variables { font-size: 0.9rem; }
      .variables td:first-child button { font-family: var(--kw-mono); }
      .variables td { padding: 0.2rem 0.5rem; }
      .pane-note { margin-top: 0; }
      .preview { position: sticky; top: 0.5rem; }
      .preview-head { display: flex; align-items: baseline; gap: 0.75rem; }
      .preview-head h3 { margin-bottom: 0.5rem; }
      .preview-head label { display: inline; font-weight: normal; margin-left: auto; }
      .preview-head select { width: auto; padding: 0.15rem 0.3rem; }
      .variables th[colspan] { background: none; padding-top: 0.6rem; }
    `,
  ];

  declare layoutId: string;
  declare closable: boolean;
  declare layout?: Layout;
  declare template: string;
  declare fields: Record<string, string>;
  declare tab: 'fields' | 'template';
  declare preview?: RenderResult;
  declare problem?: string;
  declare loadError?: string;
  declare zoom: number;

  private previewTimer?: ReturnType<typeof setTimeout>;
  private previewCall?: AbortController;
  /** Where "insert" puts a variable: the text box last focused. */
  private lastBox?: HTMLTextAreaElement;

  constructor() {
    super();
    this.layoutId = '';
    this.closable = false;
    this.template = '';
    this.fields = {};
    this.tab = 'fields';
    this.zoom = 0.6;
  }

  /** True when the text differs from what is saved. */
  get dirty(): boolean {
    const l = this.layout;
    return !!l && (l.template !== this.template || Object.entries(this.fields).some(([k, v]) => l.fields[k] !== v));
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('layoutId') && this.layoutId) void this.load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.previewTimer);
    this.previewCall?.abort();
  }

  private async load(): Promise<void> {
    try {
      this.show(await invoke<Layout>('layouts.show', { id: this.layoutId }));
      this.loadError = undefined;
    } catch (err) {
      this.loadError = (err as Error).message;
    }
  }

  private show(layout: Layout): void {
    this.layout = layout;
    this.template = layout.template;
    this.fields = { ...layout.fields };
    this.refreshPreview(0);
  }

  /** Ask for a preview of the current text after `delay` ms; a newer request cancels an older one. */
  private refreshPreview(delay = PREVIEW_DELAY_MS): void {
    clearTimeout(this.previewTimer);
    this.previewTimer = setTimeout(async () => {
      this.previewCall?.abort();
      const call = (this.previewCall = new AbortController());
      try {
        const args = { id: this.layoutId, template: this.template, fields: this.fields };
        const result = await invoke<RenderResult>('layouts.preview', args, { signal: call.signal });
        if (call.signal.aborted) return;
        this.preview = result;
        this.problem = undefined;
      } catch (err) {
        if (err instanceof InvokeError && err.code === 'E_CANCELLED') return;
        if (!call.signal.aborted) this.problem = (err as Error).message;
      }
    }, delay);
  }

  override render() {
    if (this.loadError) return html`<p class="error-text" role="alert">${this.loadError}</p>`;
    const l = this.layout;
    if (!l) return html`<p>Loading…</p>`;
    return html`
      <header>
        <h2 id="heading">Layout: ${l.label}</h2>
        <span class="badge ${l.custom ? 'custom' : ''}" id="state">${l.custom ? 'Changed' : 'Default'}${this.dirty ? ' · unsaved changes' : ''}</span>
        <div class="actions">
          <button id="reset" class="danger" ?disabled=${!l.custom} @click=${this.reset}>Reset to default</button>
          <button id="save" class="primary" ?disabled=${!this.dirty} @click=${this.save}>Save</button>
          ${this.closable ? html`<button id="close" @click=${this.close}>Close</button>` : null}
        </div>
      </header>
      <div class="columns">
        <section aria-label="Edit">
          <div role="tablist" aria-label="What to edit">
            ${this.renderTab('fields', 'Text fields')} ${this.renderTab('template', 'Template (HTML)')}
          </div>
          <div role="tabpanel" id="panel-${this.tab}" aria-labelledby="tab-${this.tab}">
            ${this.tab === 'fields' ? this.renderFields() : this.renderTemplate()}
          </div>
          ${this.renderVariables()}
        </section>
        <section aria-label="Preview" class="preview">
          <div class="preview-head">
            <h3>Preview with sample data</h3>
            <label>Zoom
              <select id="zoom" @change=${(e: Event) => (this.zoom = Number((e.target as HTMLSelectElement).value))}>
                ${ZOOMS.map((z) => html`<option value=${z} ?selected=${z === this.zoom}>${Math.round(z * 100)}%</option>`)}
              </select>
            </label>
          </div>
          <kw-layout-preview id="preview" .scale=${this.zoom} .html=${this.preview?.html ?? ''}></kw-layout-preview>
          ${this.renderWarnings()}
        </section>
      </div>
    `;
  }

  private renderTab(tab: 'fields' | 'template', label: string) {
    return html`<button role="tab" id="tab-${tab}" aria-controls="panel-${tab}" aria-selected=${this.tab === tab} @click=${() => (this.tab = tab)}>
      ${label}
    </button>`;
  }

  private renderFields() {
    const names = Object.keys(this.fields);
    if (!names.length) return html`<p class="muted">This layout has no text fields; edit its template instead.</p>`;
    return html`<p class="hint pane-note">Plain text; the variables below are replaced when a letter is made.</p>
      ${names.map(
        (name) => html`<div class="field">
          <label for="field-${name}">${fieldLabel(name)}</label>
          <textarea
            id="field-${name}"
            data-field=${name}
            rows=${rowsFor(this.fields[name]!)}
            .value=${this.fields[name]!}
            @focus=${this.remember}
            @input=${(e: Event) => this.editField(name, (e.target as HTMLTextAreaElement).value)}
          ></textarea>
        </div>`,
      )}`;
  }

  private renderTemplate() {
    return html`<p class="hint pane-note">
        Handlebars HTML. <code>{{field "name"}}</code> shows a text field, <code>{{qr "name"}}</code> a QR code; variables work here too.
      </p>
      <label for="template">Template</label>
      <textarea id="template" class="template" spellcheck="false" .value=${this.template} @focus=${this.remember} @input=${this.editTemplate}></textarea>`;
  }

  private renderVariables() {
    return html`<details id="variables">
      <summary>Variables</summary>
      <p class="hint">Select a variable to insert it where the cursor was. Examples are the manual's.</p>
      <table class="variables">
        <thead><tr><th>Variable</th><th>Example</th><th>Meaning</th></tr></thead>
        ${GROUPS.map(
          (group) => html`<tbody>
            <tr><th colspan="3" scope="rowgroup">${group === 'Time' ? `Time (the letter's export time; example ${SAMPLE_NOW})` : group}</th></tr>
            ${VARIABLES.filter((v) => v.group === group).map(
              (v) => html`<tr data-variable=${v.name}>
                <td><button class="link" title="Insert $${v.name}" @click=${() => this.insert('$' + v.name)}>$${v.name}</button></td>
                <td>${EXAMPLES[v.name]}</td>
                <td class="muted">${v.description}</td>
              </tr>`,
            )}
          </tbody>`,
        )}
      </table>
    </details>`;
  }

  private renderWarnings() {
    if (this.problem) return html`<p class="error-text" id="problem" role="alert">${this.problem}</p>`;
    if (!this.preview) return null;
    if (!this.preview.warnings.length) return html`<p class="ok" id="no-warnings">No unknown variables.</p>`;
    return html`<ul class="warnings" id="warnings" role="status">
      ${this.preview.warnings.map((w) => html`<li>${w}</li>`)}
    </ul>`;
  }

  private remember = (e: Event) => {
    this.lastBox = e.target as HTMLTextAreaElement;
  };

  private editField(name: string, value: string): void {
    this.fields = { ...this.fields, [name]: value };
    this.refreshPreview();
  }

  private editTemplate = (e: Event) => {
    this.template = (e.target as HTMLTextAreaElement).value;
    this.refreshPreview();
  };

  /** Put text at the cursor of the last focused box (the first field when none was). */
  private insert(text: string): void {
    const box = this.lastBox?.isConnected ? this.lastBox : this.renderRoot.querySelector<HTMLTextAreaElement>('textarea');
    if (!box) return;
    box.setRangeText(text, box.selectionStart, box.selectionEnd, 'end');
    box.focus();
    box.dispatchEvent(new Event('input'));
  }

  private save = async () => {
    const l = this.layout!;
    const fields = Object.fromEntries(Object.entries(this.fields).filter(([k, v]) => l.fields[k] !== v));
    const args = { id: l.id, ...(this.template !== l.template ? { template: this.template } : {}), fields };
    const saved = await runCommand<Layout>('layouts.set', args, { success: `Layout "${l.label}" saved.` });
    if (saved) this.show(saved);
  };

  private reset = async () => {
    const l = this.layout!;
    const reset = await runCommand<Layout>(
      'layouts.reset',
      { id: l.id },
      {
        confirm: {
          title: 'Reset to default',
          message: `"${l.label}" goes back to the default layout: your changes to its text fields and template are lost.`,
          confirmLabel: 'Reset to default',
        },
        success: `Layout "${l.label}" is back to its default.`,
      },
    );
    if (reset) this.show(reset);
  };

  private close = async () => {
    if (this.dirty) {
      const discard = await confirm({
        title: 'Discard changes?',
        message: 'The changes to this layout have not been saved.',
        confirmLabel: 'Discard changes',
      });
      if (!discard) return;
    }
    this.dispatchEvent(new CustomEvent('close'));
  };
}
