/**
 * `kw-user-import`: Tools → Import. Opens a file picker (.txt), has the kernel check the
 * whole file (`users.validateImport`), then either lists every bad line (line, column,
 * reason) or asks "Import N users?" and runs `users.import` with a progress bar and Cancel.
 * Fires `imported` (detail: the number imported) when users were added.
 */
import { LitElement, css, html } from 'lit';
import { InvokeError, baseStyles, fileToBase64, invoke, notify, notifyError } from '../../../src/shell/ui/index.js';
import type { Progress } from '../../../src/kernel/api.js';
import type { ImportProblem, ImportReport } from './types.js';

type Step =
  | { kind: 'idle' }
  | { kind: 'checking'; fileName: string }
  | { kind: 'report'; fileName: string; errors: ImportProblem[] }
  | { kind: 'confirm'; fileName: string; count: number; contentBase64: string }
  | { kind: 'running'; fileName: string; count: number; progress?: Progress };

const COLUMN_NAMES = ['first name', 'last name', 'mobile number', 'comment'];

export class KwUserImport extends LitElement {
  static override properties = { step: { state: true } };
  static override styles = [
    baseStyles,
    css`
      :host { display: contents; }
      input[type='file'] { display: none; }
      .report { max-height: 50vh; overflow: auto; border: 1px solid var(--kw-border); border-radius: var(--kw-radius); }
      .report td.n { font-variant-numeric: tabular-nums; white-space: nowrap; }
      progress { width: 100%; height: 1rem; accent-color: var(--kw-accent); }
      .file { font-family: var(--kw-mono); overflow-wrap: anywhere; }
    `,
  ];
  declare step: Step;
  private abort?: AbortController;

  constructor() {
    super();
    this.step = { kind: 'idle' };
  }

  /** Start: open the file picker. */
  pick(): void {
    const input = this.renderRoot.querySelector<HTMLInputElement>('input[type=file]')!;
    input.value = '';
    input.click();
  }

  override render() {
    const s = this.step;
    return html`<input type="file" accept=".txt,text/plain" aria-label="User import file" @change=${this.onFile} />
      <kw-dialog .heading=${this.heading()} ?open=${s.kind !== 'idle' && s.kind !== 'checking'} @close=${this.onDialogClose}>
        ${this.renderBody()}
        ${s.kind === 'confirm'
          ? html`<button slot="actions" id="import-cancel" @click=${() => this.finish()}>Cancel</button>
              <button slot="actions" class="primary" id="import-confirm" @click=${this.run}>Import</button>`
          : s.kind === 'running'
            ? html`<button slot="actions" id="import-abort" @click=${() => this.abort?.abort()}>Cancel</button>`
            : html`<button slot="actions" id="import-close" @click=${() => this.finish()}>Close</button>`}
      </kw-dialog>`;
  }

  private heading(): string {
    switch (this.step.kind) {
      case 'report':
        return 'The file cannot be imported';
      case 'confirm':
        return `Import ${this.step.count.toLocaleString('en-US')} users?`;
      case 'running':
        return 'Importing users…';
      default:
        return 'Import users';
    }
  }

  private renderBody() {
    const s = this.step;
    switch (s.kind) {
      case 'report':
        return html`<p>Nothing was imported. Correct ${s.errors.length === 1 ? 'this line' : `these ${s.errors.length} lines`} in
            <span class="file">${s.fileName}</span> and import the file again.</p>
          <div class="report">
            <table id="import-report">
              <thead><tr><th scope="col">Line</th><th scope="col">Column</th><th scope="col">Problem</th></tr></thead>
              <tbody>
                ${s.errors.map(
                  (e) => html`<tr data-line=${e.line}>
                    <td class="n">${e.line > 0 ? e.line : 'file'}</td>
                    <td class="n">${e.column === undefined ? '—' : `${e.column}${COLUMN_NAMES[e.column - 1] ? ` (${COLUMN_NAMES[e.column - 1]})` : ''}`}</td>
                    <td>${e.reason}</td>
                  </tr>`,
                )}
              </tbody>
            </table>
          </div>`;
      case 'confirm':
        return html`<p id="import-question">Import ${s.count.toLocaleString('en-US')} users from <span class="file">${s.fileName}</span>?
          New keys are generated for each, for this month and the next; this can take a while.</p>`;
      case 'running': {
        const p = s.progress;
        return html`<progress id="import-progress" max=${Math.max(p?.total ?? s.count, 1)} value=${p?.done ?? 0}
            aria-label="Import progress"></progress>
          <p class="muted">${p ? `${p.message ?? 'Generating keys'} — ${p.done.toLocaleString('en-US')} of ${p.total.toLocaleString('en-US')}` : 'Starting…'}</p>
          <p class="hint">Cancel leaves the user list exactly as it was.</p>`;
      }
      default:
        return null;
    }
  }

  private onFile = async (e: Event) => {
    const file = (e.target as HTMLInputElement).files?.[0];
    if (!file) return;
    this.step = { kind: 'checking', fileName: file.name };
    try {
      const contentBase64 = await fileToBase64(file);
      const report = await invoke<ImportReport>('users.validateImport', { fileName: file.name, contentBase64 });
      this.step = report.ok
        ? { kind: 'confirm', fileName: file.name, count: report.count, contentBase64 }
        : { kind: 'report', fileName: file.name, errors: report.errors };
    } catch (err) {
      this.step = { kind: 'idle' };
      notifyError(err);
    }
  };

  private run = async () => {
    const s = this.step;
    if (s.kind !== 'confirm') return;
    this.step = { kind: 'running', fileName: s.fileName, count: s.count };
    this.abort = new AbortController();
    try {
      const { imported } = await invoke<{ imported: number }>(
        'users.import',
        { fileName: s.fileName, contentBase64: s.contentBase64 },
        {
          signal: this.abort.signal,
          onProgress: (progress) => {
            if (this.step.kind === 'running') this.step = { ...this.step, progress };
          },
        },
      );
      this.finish();
      notify(`Imported ${imported.toLocaleString('en-US')} users.`);
      this.dispatchEvent(new CustomEvent<number>('imported', { detail: imported, bubbles: true, composed: true }));
    } catch (err) {
      const e = err instanceof InvokeError ? err : undefined;
      const errors = (e?.details as { errors?: ImportProblem[] } | undefined)?.errors;
      if (e?.code === 'E_IMPORT_INVALID' && errors?.length) {
        this.step = { kind: 'report', fileName: s.fileName, errors };
      } else {
        this.finish();
        if (e?.code === 'E_CANCELLED') notify('Import cancelled: no users were added.', 'info');
        else notifyError(err);
      }
    } finally {
      this.abort = undefined;
    }
  };

  /** Escape closes the dialog; while importing that means cancel. */
  private onDialogClose = () => {
    if (this.step.kind === 'running') this.abort?.abort();
    else this.finish();
  };

  private finish(): void {
    this.step = { kind: 'idle' };
  }
}
