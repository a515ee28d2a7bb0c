/**
 * Settings → Licence (manual: "CMS Parameters → License", "User expansion"): the System ID, this
 * installation's checksum to send to the supplier, the licence status with the users in use,
 * and New License (verify, then save). A deployment without a verifying key only says it is unlicensed.
 */
import { LitElement, css, html } from 'lit';
import type { JsonValue } from '../../../src/kernel/api.js';
import { InvokeError, invoke } from '../../../src/shell/ui/bridge.js';
import { notify, notifyError } from '../../../src/shell/ui/notify.js';
import { baseStyles } from '../../../src/shell/ui/styles.js';
import type { LicenseStatus } from '../tokens.js';

interface AcceptedKey {
  systemId: string;
  maxUsers: number;
  kind: 'temporary' | 'permanent' | 'unbound';
  expires?: string;
}

const STATE_LABEL: Record<LicenseStatus['state'], string> = {
  unlicensed: 'Unlicensed (no user limit)',
  missing: 'No licence key',
  valid: 'Valid',
  temporary: 'Temporary',
  expired: 'Expired',
  invalid: 'Invalid',
};

function describeKey(k: AcceptedKey): string {
  const what = k.kind === 'temporary' ? `temporary licence until ${k.expires}` : `${k.kind === 'permanent' ? 'permanent' : ''} licence`.trim();
  return `A valid ${what} for ${k.maxUsers} users, System ID ${k.systemId}.`;
}

export class KwLicenseView extends LitElement {
  static override properties = {
    status: { state: true },
    loadError: { state: true },
    systemId: { state: true },
    licenseKey: { state: true },
    fieldError: { state: true },
    verified: { state: true },
    busy: { state: true },
  };

  static override styles = [
    baseStyles,
    css`
      :host { display: block; max-width: 52rem; }
      dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.5rem 1.25rem; margin: 0 0 1rem; align-items: baseline; }
      dt { font-weight: 600; }
      dd { margin: 0; overflow-wrap: anywhere; }
      .checksum { font-family: var(--kw-mono); font-size: 1.1rem; letter-spacing: 0.05em; margin-right: 0.5rem; }
      textarea { font-family: var(--kw-mono); letter-spacing: 0.04em; min-height: 5.5rem; resize: vertical; }
      .new-license { margin-top: 1.5rem; }
    `,
  ];

  declare status?: LicenseStatus;
  declare loadError?: string;
  declare systemId: string;
  declare licenseKey: string;
  declare fieldError?: { field: 'systemId' | 'licenseKey'; message: string };
  declare verified?: AcceptedKey;
  declare busy: boolean;

  constructor() {
    super();
    this.systemId = '';
    this.licenseKey = '';
    this.busy = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      this.status = await invoke<LicenseStatus>('license.show');
      this.systemId ||= this.status.systemId;
      this.loadError = undefined;
    } catch (err) {
      this.loadError = (err as Error).message;
    }
  }

  override render() {
    if (this.loadError) return html`<p class="error-text" role="alert">${this.loadError}</p>`;
    const s = this.status;
    if (!s) return html`<p>Loading…</p>`;
    const ok = s.state === 'valid' || s.state === 'unlicensed';
    return html`
      <h2>Licence</h2>
      <dl>
        <dt>System ID</dt>
        <dd data-field="systemId">${s.systemId || html`<span class="muted">not set</span>`}</dd>
        <dt>Checksum</dt>
        <dd><span class="checksum" data-field="checksum">${s.checksum}</span><button class="link" id="copy-checksum" @click=${this.copyChecksum}>Copy</button></dd>
        <dt>Status</dt>
        <dd data-field="state">${STATE_LABEL[s.state]}${s.until ? html` — ${s.state === 'expired' ? 'expired on' : 'until'} ${s.until}` : ''}</dd>
        <dt>Users</dt>
        <dd data-field="users">${s.userLimit === null ? `${s.usersInUse} (no limit)` : `${s.usersInUse} of ${s.userLimit}`}</dd>
      </dl>
      <p class="notice ${ok ? 'ok' : 'bad'}" data-field="message" role="status">${s.message}</p>
      ${s.state === 'unlicensed'
        ? html`<p class="muted" id="unlicensed-note">Licence keys are checked only where the deployment config holds the supplier's verifying key
            (<span class="mono">licenseVerifyingKey</span>); this one has none, so any number of users may be added.</p>`
        : this.renderNewLicense()}
    `;
  }

  private renderNewLicense() {
    const err = (field: 'systemId' | 'licenseKey') =>
      this.fieldError?.field === field ? html`<span class="error-text" id="${field}-error" role="alert">${this.fieldError.message}</span>` : '';
    return html`
      <section class="new-license card" aria-labelledby="new-license-title">
        <h3 id="new-license-title">New License</h3>
        <p class="muted">To add users beyond the licence, or to replace a temporary key, enter the licence key from your supplier.
          For a permanent key, send them the System ID and the checksum above.</p>
        <div class="field">
          <label for="systemId">System ID</label>
          <input id="systemId" .value=${this.systemId} aria-invalid=${this.fieldError?.field === 'systemId'}
            @input=${(e: Event) => this.edit('systemId', (e.target as HTMLInputElement).value)} />
          ${err('systemId')}
        </div>
        <div class="field">
          <label for="licenseKey">License key</label>
          <textarea id="licenseKey" spellcheck="false" autocomplete="off" .value=${this.licenseKey} aria-invalid=${this.fieldError?.field === 'licenseKey'}
            @input=${(e: Event) => this.edit('licenseKey', (e.target as HTMLTextAreaElement).value)}></textarea>
          <span class="hint">As printed by your supplier: case, spaces, dashes and line breaks do not matter.</span>
          ${err('licenseKey')}
        </div>
        ${this.verified ? html`<p class="notice ok" id="verified">${describeKey(this.verified)}</p>` : ''}
        <div class="actions">
          <button id="verify-license" ?disabled=${this.busy || !this.licenseKey.trim()} @click=${() => this.submit('license.verify')}>Verify</button>
          <button id="save-license" class="primary" ?disabled=${this.busy || !this.licenseKey.trim()} @click=${() => this.submit('license.set')}>Save</button>
        </div>
      </section>
    `;
  }

  private edit(field: 'systemId' | 'licenseKey', value: string): void {
    this[field] = value;
    this.fieldError = undefined;
    this.verified = undefined;
  }

  /** Verify (nothing stored) or save; a refusal is shown at the field it concerns. */
  private async submit(command: 'license.verify' | 'license.set'): Promise<void> {
    this.busy = true;
    this.fieldError = undefined;
    this.verified = undefined;
    try {
      const args: JsonValue = { licenseKey: this.licenseKey, ...(this.systemId.trim() ? { systemId: this.systemId.trim() } : {}) };
      const accepted = await invoke<AcceptedKey>(command, args);
      if (command === 'license.verify') {
        this.verified = accepted;
      } else {
        notify(`New licence stored: ${describeKey(accepted)}`);
        this.licenseKey = '';
        await this.load();
      }
    } catch (err) {
      const field = err instanceof InvokeError ? (err.details as { field?: unknown } | undefined)?.field : undefined;
      if (field === 'systemId' || field === 'licenseKey') this.fieldError = { field, message: (err as InvokeError).message.replace(/^\w+: /, '') };
      else notifyError(err);
    } finally {
      this.busy = false;
    }
  }

  private async copyChecksum(): Promise<void> {
    if (!this.status) return;
    try {
      await navigator.clipboard.writeText(this.status.checksum);
      notify('Checksum copied.', 'info');
    } catch {
      // No clipboard (e.g. denied): select it so Ctrl+C copies it.
      const el = this.renderRoot.querySelector('.checksum');
      if (el) getSelection()?.selectAllChildren(el);
      notify('Select the checksum and copy it with Ctrl+C.', 'info');
    }
  }
}
