/**
 * `kw-backup-restore`: "Restore from backup", in the install wizard (a new machine) and in the
 * Backup/Restore view (`replacing`: over this installation, asked first). The backup file, its
 * passphrase and the administrator passphrase that was valid when the backup was made, which opens
 * Keyward afterwards. A backup of another domain names both fingerprints and asks again. Fires
 * `kw-state-changed` when Keyward is open on the restored data.
 */
import { LitElement, css, html } from 'lit';
import { InvokeError, baseStyles, confirm, fileToBase64, invoke, notify, notifyError } from '../../../src/shell/ui/index.js';
import type { BackupRestoreResult, OtherDomainDetails } from '../tokens.js';

export class KwBackupRestore extends LitElement {
  static override properties = {
    replacing: { type: Boolean },
    file: { state: true },
    busy: { state: true },
    error: { state: true },
  };
  static override styles = [
    baseStyles,
    css`
      :host { display: block; }
      .file { font-family: var(--kw-mono); overflow-wrap: anywhere; }
    `,
  ];
  declare replacing: boolean;
  declare file: File | undefined;
  declare busy: boolean;
  declare error: string;

  constructor() {
    super();
    this.replacing = false;
    this.file = undefined;
    this.busy = false;
    this.error = '';
  }

  override render() {
    return html`<form novalidate @submit=${this.onSubmit} aria-labelledby="restore-title">
      <h2 id="restore-title">Restore from backup</h2>
      <p>${this.replacing
        ? 'Replaces all data of this installation — every setting, user, key and the event log — with the backup. Everything in the backup is checked first; if anything fails, the data stays as it is.'
        : 'Recreates an installation from a Keyward backup: every setting, user, key and the event log.'}</p>
      <div class="field">
        <label for="backup-file">Backup file</label>
        <input id="backup-file" type="file" accept=".kwbackup" @change=${this.onFile} />
        ${this.file ? html`<span class="hint file" id="backup-file-name">${this.file.name}</span>` : null}
      </div>
      <div class="field">
        <label for="backup-passphrase">Backup passphrase</label>
        <input id="backup-passphrase" type="password" autocomplete="off" />
        <span class="hint">The passphrase given when the backup was made.</span>
      </div>
      <div class="field">
        <label for="admin-passphrase">Administrator passphrase of the backup</label>
        <input id="admin-passphrase" type="password" autocomplete="off" aria-describedby="admin-hint" />
        <span class="hint" id="admin-hint">The administrator passphrase that was valid when the backup was made: Keyward opens with it
          after the restore (a passphrase changed since then does not apply to the restored data).</span>
      </div>
      ${this.error ? html`<p class="error-text" role="alert" id="restore-error">${this.error}</p>` : null}
      <p class="muted">On a new machine the installation checksum changes, so the licence key of the old one does not fit: ask
        your supplier for a temporary licence key, and once restored send them the new checksum (Settings → Licence) for a
        permanent one.</p>
      <div class="actions">
        <button type="submit" id="restore-go" class=${this.replacing ? 'danger' : 'primary'} ?disabled=${this.busy || !this.file}>
          ${this.busy ? 'Restoring…' : 'Restore'}
        </button>
      </div>
    </form>`;
  }

  private onFile = (e: Event) => {
    this.file = (e.target as HTMLInputElement).files?.[0];
    this.error = '';
  };

  private value(id: string): string {
    return this.renderRoot.querySelector<HTMLInputElement>(`#${id}`)!.value;
  }

  private onSubmit = async (e: Event) => {
    e.preventDefault();
    if (this.busy || !this.file) return;
    const backupPassphrase = this.value('backup-passphrase');
    const passphrase = this.value('admin-passphrase');
    if (!backupPassphrase || !passphrase) {
      this.error = 'Enter both passphrases.';
      return;
    }
    if (
      this.replacing &&
      !(await confirm({
        title: 'Restore from backup',
        message: `Replace all data of this installation with the backup ${this.file.name}?`,
        details: ['Users, keys, settings, layouts, peers and the event log become those of the backup.', 'Keyward then opens with the administrator passphrase of the backup.'],
        confirmLabel: 'Restore',
      }))
    ) {
      return;
    }
    this.busy = true;
    this.error = '';
    try {
      const args = { fileName: this.file.name, contentBase64: await fileToBase64(this.file), backupPassphrase, passphrase };
      let result: BackupRestoreResult;
      try {
        result = await invoke<BackupRestoreResult>('backup.restore', args);
      } catch (err) {
        if (!(err instanceof InvokeError) || err.code !== 'E_BACKUP_OTHER_DOMAIN') throw err;
        const { current, backup } = err.details as unknown as OtherDomainDetails;
        const go = await confirm({
          title: 'A backup of another domain',
          message: 'The backup is not of this domain. Restoring replaces this domain and all its keys with the backup’s.',
          details: [`This installation: ${current.securityDomain}, fingerprint ${current.fingerprint}`, `The backup: ${backup.securityDomain}, fingerprint ${backup.fingerprint}`],
          confirmLabel: 'Restore the other domain',
        });
        if (!go) return;
        result = await invoke<BackupRestoreResult>('backup.restore', { ...args, confirmOtherDomain: true });
      }
      this.clear();
      notify(`Restored ${result.securityDomain} from the backup of ${result.created}. Keyward is open with the administrator passphrase of the backup.`, 'success');
      this.dispatchEvent(new CustomEvent('kw-state-changed', { bubbles: true, composed: true }));
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
      notifyError(err);
    } finally {
      this.busy = false;
    }
  };

  /** Drop the passphrases from the form once they have done their work. */
  private clear(): void {
    for (const id of ['backup-passphrase', 'admin-passphrase']) this.renderRoot.querySelector<HTMLInputElement>(`#${id}`)!.value = '';
  }
}
