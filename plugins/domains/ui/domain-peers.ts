/**
 * `<kw-domains-peers>`: the connected (peer) domains under Connected Domains — the list with
 * Delete, and the three ways to add one (camera, image file, rows typed one by one), each ending
 * in the peer's name, Id and fingerprint for the administrator to confirm before adding.
 */
import { LitElement, css, html } from 'lit';
import { baseStyles, invoke, notify, notifyError, runCommand } from '../../../src/shell/ui/index.js';
import { ROW_BYTES, rowBytes, rowCharacters } from '../rows.js';
import { decodeImageFile, scanCamera, toBase64, type CameraScan } from './qr-scan.js';

interface Peer {
  securityDomain: string;
  id: string;
  fingerprint: string;
  added: string;
}
interface Preview {
  securityDomain: string;
  id: string;
  fingerprint: string;
  created: string;
  certificateBase64: string;
}
interface RowCheck {
  ok: true;
  index: number;
  certificateBytes: number;
  rows: number;
}

type Mode = 'list' | 'camera' | 'rows' | 'confirm';

/** Characters of row `index` (data and check); before row 1 is in, a full row's. */
const rowChars = (index: number, total: number) => rowCharacters(total ? rowBytes(index, total) : ROW_BYTES);
/** What counts towards a row's length: no number prefix, spaces or dashes. */
const typed = (text: string) => text.replace(/^\s*\d+\s*[:.]/, '').replace(/[\s-]/g, '');

export class KwDomainsPeers extends LitElement {
  static override properties = {
    peers: { state: true },
    mode: { state: true },
    preview: { state: true },
    rows: { state: true },
    rowText: { state: true },
    rowError: { state: true },
    total: { state: true },
    error: { state: true },
    agreed: { state: true },
  };
  static override styles = [
    baseStyles,
    css`
      :host { display: block; }
      .toolbar { display: flex; gap: 0.5rem; margin: 1rem 0; flex-wrap: wrap; }
      .notice { border-left: 4px solid var(--kw-accent); padding: 0.5rem 0.75rem; background: var(--kw-surface); margin-bottom: 1rem; }
      video { width: 32rem; max-width: 100%; background: #000; }
      dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.4rem 1rem; }
      dt { font-weight: 600; }
      dd { margin: 0; }
      ol.rows { font-family: var(--kw-mono); }
      .row-entry { display: flex; gap: 0.5rem; align-items: center; }
      .row-entry input { font-family: var(--kw-mono); }
      input[type='file'] { display: none; }
      .confirm { display: flex; gap: 0.5rem; align-items: center; font-weight: normal; }
    `,
  ];
  declare peers: Peer[];
  declare mode: Mode;
  declare preview?: Preview;
  declare rows: string[];
  declare rowText: string;
  declare rowError?: string;
  declare total: number;
  declare error?: string;
  declare agreed: boolean;
  private scan?: CameraScan;
  /** The certificate's length, from row 1 on. */
  private certificateBytes = 0;

  constructor() {
    super();
    this.peers = [];
    this.mode = 'list';
    this.rows = [];
    this.rowText = '';
    this.total = 0;
    this.agreed = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  override disconnectedCallback(): void {
    this.scan?.stop();
    super.disconnectedCallback();
  }

  private async load(): Promise<void> {
    try {
      this.peers = await invoke<Peer[]>('domains.list');
    } catch (err) {
      notifyError(err);
    }
  }

  override render() {
    return html`
      <h1>Connected domains</h1>
      <p class="notice" id="reminder">
        Channels do not extend to connected domains. Cross-domain calls work only once the peer’s administrator has added this
        domain on their side too, and both domains have sent the CRS a new update file.
      </p>
      ${this.mode === 'list' ? this.renderList() : this.renderAdd()}
    `;
  }

  private renderList() {
    return html`
      <div class="toolbar">
        <button id="add-camera" @click=${this.startCamera}>Add Domain: scan QR code</button>
        <button id="add-image" @click=${() => this.renderRoot.querySelector<HTMLInputElement>('#image-file')!.click()}>Add Domain: image file</button>
        <button id="add-rows" @click=${this.startRows}>Add Domain: enter rows</button>
        <input id="image-file" type="file" accept="image/png,image/jpeg" @change=${this.onImage} />
      </div>
      ${this.peers.length
        ? html`<table id="peers">
            <thead><tr><th>Security Domain</th><th>Id</th><th>Fingerprint</th><th>Added</th><th></th></tr></thead>
            <tbody>
              ${this.peers.map(
                (p) => html`<tr data-fingerprint=${p.fingerprint}>
                  <td>${p.securityDomain}</td><td class="mono">${p.id}</td><td class="mono">${p.fingerprint}</td>
                  <td>${p.added.slice(0, 10)}</td>
                  <td><button class="danger" @click=${() => this.deletePeer(p)}>Delete</button></td>
                </tr>`,
              )}
            </tbody>
          </table>`
        : html`<p class="muted" id="no-peers">No connected domains yet.</p>`}
    `;
  }

  private renderAdd() {
    const cancel = html`<button id="cancel" @click=${this.reset}>Cancel</button>`;
    if (this.mode === 'camera') {
      return html`<h2>Scan the peer’s QR code</h2>
        <p>Hold the peer’s domain certificate in front of the camera.</p>
        <video id="camera" playsinline></video>
        ${this.error ? html`<p class="error-text" role="alert">${this.error}</p>` : null}
        <div class="toolbar">${cancel}</div>`;
    }
    if (this.mode === 'rows') {
      const index = this.rows.length + 1;
      return html`<h2>Enter the peer’s rows</h2>
        <p>Type each row as printed; the next row opens only when this one’s checksum is right.</p>
        <ol class="rows" id="rows-done">${this.rows.map((r) => html`<li>${r}</li>`)}</ol>
        <div class="field">
          <label for="row">Row ${index}${this.total ? ` of ${this.total}` : ''}</label>
          <div class="row-entry">
            <input id="row" autocomplete="off" spellcheck="false" .value=${this.rowText} aria-invalid=${this.rowError ? 'true' : 'false'}
              @input=${this.onRowInput} @keydown=${(e: KeyboardEvent) => e.key === 'Enter' && void this.checkRow()} />
            <button id="next-row" class="primary" @click=${() => void this.checkRow()}>Next</button>
          </div>
          ${this.rowError ? html`<span class="error-text" role="alert" id="row-error">${this.rowError}</span>` : null}
        </div>
        <div class="toolbar">${cancel}</div>`;
    }
    const p = this.preview!;
    return html`<h2>Is this the domain you expect?</h2>
      <p>Compare with what the peer’s administrator told you in person. This name is shown to your users when they talk to users of that domain.</p>
      <dl id="preview">
        <dt>Security Domain</dt><dd id="peer-name">${p.securityDomain}</dd>
        <dt>Domain Id</dt><dd class="mono" id="peer-id">${p.id}</dd>
        <dt>Fingerprint</dt><dd class="mono" id="peer-fingerprint">${p.fingerprint}</dd>
      </dl>
      <label class="confirm"><input type="checkbox" id="agree" .checked=${this.agreed} @change=${(e: Event) => (this.agreed = (e.target as HTMLInputElement).checked)} />
        The name, Id and fingerprint match what the peer’s administrator told me in person</label>
      <div class="toolbar">
        <button id="confirm-add" class="primary" ?disabled=${!this.agreed} @click=${this.add}>Add domain</button>
        ${cancel}
      </div>`;
  }

  private reset = () => {
    this.scan?.stop();
    this.scan = undefined;
    this.mode = 'list';
    this.preview = undefined;
    this.rows = [];
    this.rowText = '';
    this.rowError = undefined;
    this.total = 0;
    this.error = undefined;
    this.agreed = false;
    this.certificateBytes = 0;
  };

  /** Every route ends here: the kernel checks the certificate and every refusal before anything is shown. */
  private async showPreview(args: { certificateBase64: string } | { rows: string[] }): Promise<void> {
    try {
      this.preview = await invoke<Preview>('domains.preview', args);
      this.agreed = false;
      this.mode = 'confirm';
    } catch (err) {
      this.reset();
      notifyError(err);
    }
  }

  private startCamera = async () => {
    this.mode = 'camera';
    await this.updateComplete;
    const video = this.renderRoot.querySelector<HTMLVideoElement>('#camera')!;
    try {
      this.scan = await scanCamera(video);
    } catch (err) {
      this.error = `The camera cannot be used: ${(err as Error).message}`;
      return;
    }
    try {
      const bytes = await this.scan.result;
      await this.showPreview({ certificateBase64: toBase64(bytes) });
    } catch {
      // stopped by Cancel or by leaving the view
    }
  };

  private onImage = async (e: Event) => {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    try {
      await this.showPreview({ certificateBase64: toBase64(await decodeImageFile(file)) });
    } catch (err) {
      notifyError(err);
    }
  };

  private startRows = () => {
    this.reset();
    this.mode = 'rows';
  };

  /** A full row is checked as soon as its last character is typed; Enter or Next checks at any length. */
  private onRowInput = (e: Event) => {
    this.rowText = (e.target as HTMLInputElement).value;
    this.rowError = undefined;
    if (typed(this.rowText).length >= rowChars(this.rows.length + 1, this.certificateBytes)) void this.checkRow();
  };

  private async checkRow(): Promise<void> {
    const index = this.rows.length + 1;
    const text = this.rowText;
    try {
      const r = await invoke<RowCheck>('domains.checkRow', {
        index,
        text,
        ...(this.certificateBytes ? { certificateBytes: this.certificateBytes } : {}),
      });
      if (this.rowText !== text || this.rows.length + 1 !== index) return; // typed on meanwhile
      if (index === 1) {
        this.certificateBytes = r.certificateBytes;
        this.total = r.rows;
      }
      this.rows = [...this.rows, text];
      this.rowText = '';
      this.rowError = undefined;
      if (this.rows.length === this.total) await this.showPreview({ rows: this.rows });
      else this.renderRoot.querySelector<HTMLInputElement>('#row')?.focus();
    } catch (err) {
      if (this.rowText === text) this.rowError = (err as Error).message;
    }
  }

  private add = async () => {
    const p = this.preview!;
    const added = await runCommand<Peer>('domains.add', { certificateBase64: p.certificateBase64, confirmed: true });
    if (!added) return;
    notify(`Added ${added.securityDomain} (${added.id}). Send the CRS a new update file; the peer must add this domain too.`, 'success');
    this.reset();
    await this.load();
  };

  private async deletePeer(p: Peer): Promise<void> {
    const gone = await runCommand<Peer>('domains.delete', { fingerprint: p.fingerprint }, {
      confirm: {
        title: `Delete ${p.securityDomain}`,
        message: `Users of ${p.securityDomain} (Id ${p.id}) will no longer be trusted once the CRS receives the next update file.`,
        confirmLabel: 'Delete',
      },
      success: (r) => `Deleted ${r.securityDomain}; send the CRS a new update file to revoke it.`,
    });
    if (gone) await this.load();
  }
}
