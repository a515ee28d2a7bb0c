/**
 * `kw-backup-view`: the Backup/Restore menu (manual: "Back-up and restore"). Backup: a backup
 * passphrase (twice) and Burn, enabled when there is a burner; the manual's warning that the backup
 * holds every key. Restore: `kw-backup-restore` over this installation. Below, the compromised
 * domains this installation replaced, whose backups are refused.
 */
import { LitElement, css, html } from 'lit';
import { MIN_PASSPHRASE_LENGTH, baseStyles, invoke, passphraseStrength, runCommand } from '../../../src/shell/ui/index.js';
import { notifyBurned } from '../../devices/burn-notice.js';
import { DeviceStatusController } from '../../devices/status-controller.js';
import type { BackupCreateResult } from '../tokens.js';

export class KwBackupView extends LitElement {
  static override properties = {
    passphrase: { state: true },
    again: { state: true },
    error: { state: true },
    busy: { state: true },
    compromised: { state: true },
  };
  static override styles = [
    baseStyles,
    css`
      :host { display: block; }
      .card { padding: 1rem 1.25rem; margin-bottom: 1rem; }
      .warning { border-left: 4px solid var(--kw-danger); padding-left: 0.9rem; }
      .strength { font-size: 0.9rem; min-height: 1.35rem; }
      .mono { font-family: var(--kw-mono); }
    `,
  ];
  declare passphrase: string;
  declare again: string;
  declare error: string;
  declare busy: boolean;
  declare compromised: string[];
  private readonly devices = new DeviceStatusController(this);

  constructor() {
    super();
    this.passphrase = '';
    this.again = '';
    this.error = '';
    this.busy = false;
    this.compromised = [];
  }

  override connectedCallback(): void {
    super.connectedCallback();
    invoke<string[]>('backup.compromisedDomains').then((list) => (this.compromised = list), () => undefined);
  }

  override render() {
    const burner = !!this.devices.status?.burner;
    const strength = passphraseStrength(this.passphrase);
    return html`<h1>Backup/Restore</h1>
      <form class="card" id="backup" novalidate @submit=${this.backup} @input=${this.onInput}>
        <h2>Backup</h2>
        <p class="warning" id="backup-warning">The backup contains all cryptographic keys of the system (the master keys and all
          user keys) and hence needs the same level of protection as Keyward itself.</p>
        <p>Every setting, user, channel, gateway, peer domain, layout, key and the event log go into one file, encrypted under the
          backup passphrase. Insert an empty disc and press Burn.</p>
        <div class="field">
          <label for="backup-passphrase">Backup passphrase</label>
          <input id="backup-passphrase" name="passphrase" type="password" autocomplete="new-password" .value=${this.passphrase} />
          <span class="hint">At least ${MIN_PASSPHRASE_LENGTH} characters. Keep it apart from the disc: without it the backup cannot be restored.</span>
        </div>
        <div class="strength" data-level=${strength.level} aria-live="polite">${this.passphrase ? strength.hint : ''}</div>
        <div class="field">
          <label for="backup-passphrase-again">Backup passphrase again</label>
          <input id="backup-passphrase-again" name="again" type="password" autocomplete="new-password" .value=${this.again} />
        </div>
        ${this.error ? html`<p class="error-text" role="alert" id="backup-error">${this.error}</p>` : null}
        <div class="actions">
          <button type="submit" id="burn" class="primary" ?disabled=${this.busy || !burner}>${this.busy ? 'Burning…' : 'Burn'}</button>
          ${burner ? null : html`<span class="hint">No burner (or no disc) found.</span>`}
        </div>
      </form>
      <section class="card"><kw-backup-restore replacing></kw-backup-restore></section>
      ${this.compromised.length
        ? html`<section class="card" id="compromised">
            <h2>Compromised domains</h2>
            <p>This installation replaced these domains as compromised; backups of them are refused, as they would bring back
              compromised master keys.</p>
            <ul>${this.compromised.map((f) => html`<li class="mono">${f}</li>`)}</ul>
          </section>`
        : null}`;
  }

  private onInput = (e: Event) => {
    const input = e.target as HTMLInputElement;
    if (input.name === 'passphrase') this.passphrase = input.value;
    if (input.name === 'again') this.again = input.value;
    this.error = '';
  };

  private backup = async (e: Event) => {
    e.preventDefault();
    if (this.busy) return;
    if ([...this.passphrase].length < MIN_PASSPHRASE_LENGTH) {
      this.error = `Use at least ${MIN_PASSPHRASE_LENGTH} characters.`;
      return;
    }
    if (this.passphrase !== this.again) {
      this.error = 'The two passphrases differ.';
      return;
    }
    this.busy = true;
    try {
      const r = await runCommand<BackupCreateResult>('backup.create', { backupPassphrase: this.passphrase });
      if (r) {
        notifyBurned({ written: [r.fileName], verified: r.verified, destination: r.destination }, `the backup ${r.fileName}`);
        this.passphrase = '';
        this.again = '';
      }
    } finally {
      this.busy = false;
    }
  };
}
