/**
 * `<kw-crs-settings .settings=${…}>`: Settings → CRS (manual, "CMS Parameters → CRS" and "CRS
 * migration"). Address, Account ID and the Shared Secret in monospace, hidden until Reveal; Change
 * opens a form that says the manual's migration warning and asks again before saving; the history
 * of CRS changes below. Fires `settings-changed` after a change.
 */
import { LitElement, css, html } from 'lit';
import { baseStyles, confirm, invoke, notify, notifyError } from '../../../src/shell/ui/index.js';
import type { SettingsView } from '../commands.js';
import { CRS_MIGRATION_WARNING } from '../crs-migration.js';
import { fieldProblem } from './field-problem.js';

const HIDDEN = '••••••••••••';

export class KwCrsSettings extends LitElement {
  static override properties = {
    settings: { attribute: false },
    secret: { state: true },
    editing: { state: true },
    busy: { state: true },
    problems: { state: true },
  };
  static override styles = [
    baseStyles,
    css`
      :host { display: block; }
      dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.4rem 1rem; margin: 0 0 1rem; align-items: center; }
      dt { font-weight: 600; }
      dd { margin: 0; display: flex; gap: 0.5rem; align-items: center; flex-wrap: wrap; }
      .secret { font-family: var(--kw-mono); overflow-wrap: anywhere; }
      form { margin: 1rem 0; }
      form .mono-input { font-family: var(--kw-mono); }
      .warning { border-color: #8a5a00; color: #5c3c00; background: #fff6e0; }
      table { font-size: 0.9rem; }
    `,
  ];
  declare settings: SettingsView | undefined;
  /** The revealed secret; undefined while hidden. */
  declare secret: string | undefined;
  declare editing: boolean;
  declare busy: boolean;
  declare problems: Record<string, string>;

  constructor() {
    super();
    this.settings = undefined;
    this.secret = undefined;
    this.editing = false;
    this.busy = false;
    this.problems = {};
  }

  override render() {
    const crs = this.settings?.crs;
    if (!this.settings) return html`<p class="muted">Loading…</p>`;
    return html`
      <dl>
        <dt>CRS address</dt><dd id="crs-address">${crs?.address ?? 'Not set'}</dd>
        <dt>Account ID</dt><dd id="crs-account" class="mono">${crs?.account ?? 'Not set'}</dd>
        <dt>Shared Secret</dt>
        <dd>
          <span class="secret" id="crs-secret" aria-live="polite">${this.secret ?? (crs?.secretSet ? HIDDEN : 'Not set')}</span>
          ${crs?.secretSet
            ? html`<button type="button" id="crs-reveal" class="link" @click=${this.toggleSecret}>${this.secret === undefined ? 'Reveal' : 'Hide'}</button>`
            : null}
        </dd>
      </dl>
      ${this.editing ? this.renderForm() : html`<button type="button" id="crs-change" @click=${() => (this.editing = true)}>Change CRS…</button>`}
      ${this.renderHistory()}
    `;
  }

  private renderForm() {
    const crs = this.settings?.crs;
    const field = (id: string, name: string, label: string, value: string, extra = {} as { mono?: boolean; hint?: string }) => {
      const problem = this.problems[`crs.${name}`];
      return html`<div class="field">
        <label for=${id}>${label}</label>
        <input id=${id} name=${name} class=${extra.mono ? 'mono-input' : ''} .value=${value} autocomplete="off" spellcheck="false"
          aria-invalid=${problem ? 'true' : 'false'} aria-describedby=${problem ? `${id}-error` : ''} />
        ${extra.hint ? html`<span class="hint">${extra.hint}</span>` : null}
        ${problem ? html`<span class="error-text" id=${`${id}-error`} role="alert">${problem}</span>` : null}
      </div>`;
    };
    return html`<form class="card" id="crs-form" novalidate @submit=${this.save}>
      <h3>Change the CRS</h3>
      <p class="notice warning" id="crs-warning" role="note"><strong>N.B.</strong> ${CRS_MIGRATION_WARNING}
        Make the change together with a monthly key update, then generate the update: it moves the devices to the new CRS.</p>
      ${field('crs-new-address', 'address', 'CRS address (IP or FQDN)', crs?.address ?? '')}
      ${field('crs-new-account', 'account', 'Account ID', crs?.account ?? '', { mono: true })}
      ${field('crs-new-secret', 'secret', 'Shared Secret', '', { mono: true, hint: 'Leave empty to keep the current one.' })}
      <div class="actions">
        <button type="button" @click=${this.cancel}>Cancel</button>
        <button type="submit" class="primary" id="crs-save" ?disabled=${this.busy}>Save CRS</button>
      </div>
    </form>`;
  }

  private renderHistory() {
    const history = this.settings?.crsHistory ?? [];
    if (!history.length) return null;
    return html`<table id="crs-history">
      <caption>CRS history (newest first; the shared secret is never kept here)</caption>
      <thead><tr><th scope="col">Time (UTC)</th><th scope="col">Change</th><th scope="col">CRS address</th><th scope="col">Account ID</th><th scope="col">Shared Secret</th></tr></thead>
      <tbody>
        ${[...history].reverse().map(
          (h) => html`<tr>
            <td>${h.time.replace('T', ' ').replace(/\.\d+Z$/, '')}</td><td>${h.kind === 'setup' ? 'Installed' : 'Changed'}</td>
            <td>${h.address}</td><td class="mono">${h.account}</td><td>${h.secretReplaced ? 'replaced' : h.kind === 'setup' ? 'set' : 'kept'}</td>
          </tr>`,
        )}
      </tbody>
    </table>`;
  }

  private async toggleSecret(): Promise<void> {
    if (this.secret !== undefined) {
      this.secret = undefined;
      return;
    }
    try {
      this.secret = (await invoke<{ secret: string }>('settings.revealCrsSecret')).secret;
    } catch (err) {
      notifyError(err);
    }
  }

  private cancel(): void {
    this.editing = false;
    this.problems = {};
  }

  private async save(e: Event): Promise<void> {
    e.preventDefault();
    const value = (id: string) => this.renderRoot.querySelector<HTMLInputElement>(`#${id}`)!.value;
    const args: Record<string, string> = { address: value('crs-new-address').trim(), account: value('crs-new-account').trim() };
    const secret = value('crs-new-secret');
    if (secret) args.secret = secret;
    const ok = await confirm({
      title: 'Change the CRS?',
      message: `The CRS becomes ${args.address} (account ${args.account})${secret ? ' with a new shared secret' : ''}.`,
      details: [CRS_MIGRATION_WARNING, 'The next monthly update carries the new CRS to the devices.'],
      confirmLabel: 'Change CRS',
    });
    if (!ok) return;
    this.busy = true;
    this.problems = {};
    try {
      await invoke('settings.setCrs', args);
      this.editing = false;
      this.secret = undefined;
      notify('The CRS is changed. Generate the monthly update to move the devices.', 'success');
      this.dispatchEvent(new CustomEvent('settings-changed', { bubbles: true, composed: true }));
    } catch (err) {
      const problem = fieldProblem(err, 'crs.');
      if (problem) this.problems = problem;
      else notifyError(err);
    } finally {
      this.busy = false;
    }
  }
}
