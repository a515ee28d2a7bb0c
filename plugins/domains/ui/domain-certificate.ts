/**
 * `<kw-domains-mine>`: "My Domain" under Connected Domains — the domain certificate's name, Id,
 * fingerprint, QR code and rows, with Print, Burn PDF and the certificate's Layout button.
 */
import { LitElement, css, html } from 'lit';
import { baseStyles, invoke, runCommand } from '../../../src/shell/ui/index.js';
import { notifyBurned } from '../../devices/burn-notice.js';
import { DeviceStatusController } from '../../devices/status-controller.js';
import type { BurnResult, PrintResult } from '../../devices/tokens.js';

export interface CertificateView {
  securityDomain: string;
  id: string;
  fingerprint: string;
  created: string;
  certificateBase64: string;
  rows: string[];
  png: string;
}

export class KwDomainsMine extends LitElement {
  static override properties = { cert: { state: true }, error: { state: true }, busy: { state: true } };
  static override styles = [
    baseStyles,
    css`
      :host { display: block; }
      dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.4rem 1rem; }
      dt { font-weight: 600; }
      dd { margin: 0; }
      .qr { width: 16rem; height: 16rem; image-rendering: pixelated; }
      .actions { display: flex; gap: 0.5rem; margin: 1rem 0; }
      ol.rows { font-family: var(--kw-mono); list-style: none; padding: 0; }
    `,
  ];
  declare cert?: CertificateView;
  private readonly devices = new DeviceStatusController(this);
  declare error?: string;
  declare busy: boolean;

  constructor() {
    super();
    this.busy = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      this.cert = await invoke<CertificateView>('domains.certificate');
    } catch (err) {
      this.error = (err as Error).message;
    }
  }

  override render() {
    if (this.error) return html`<p class="error-text" role="alert">${this.error}</p>`;
    const c = this.cert;
    if (!c) return html`<p>Loading…</p>`;
    return html`
      <h1>My domain certificate</h1>
      <p>Give this certificate to the administrator of the peer domain in person; read the Id and fingerprint aloud together.</p>
      <dl>
        <dt>Security Domain</dt><dd id="own-name">${c.securityDomain}</dd>
        <dt>Domain Id</dt><dd class="mono" id="own-id">${c.id}</dd>
        <dt>Fingerprint</dt><dd class="mono" id="own-fingerprint">${c.fingerprint}</dd>
      </dl>
      <div class="actions">
        <button id="print" ?disabled=${!this.devices.status?.printer || this.busy} @click=${this.print}>Print</button>
        <button id="burn" ?disabled=${!this.devices.status?.burner || this.busy} @click=${this.burn}>Burn PDF</button>
        <kw-layout-button layout="domains.certificate"></kw-layout-button>
      </div>
      <img class="qr" id="own-qr" alt="QR code of the domain certificate" src=${c.png} />
      <h2>Rows for entry without a camera</h2>
      <ol class="rows" id="own-rows">${c.rows.map((r) => html`<li>${r}</li>`)}</ol>
    `;
  }

  private async run(fn: () => Promise<unknown>): Promise<void> {
    this.busy = true;
    try {
      await fn();
    } finally {
      this.busy = false;
    }
  }

  private print = () =>
    this.run(() => runCommand<PrintResult>('domains.printCertificate', undefined, { success: (r) => `Sent the domain certificate to ${r.destination}.` }));

  private burn = () =>
    this.run(async () => {
      const r = await runCommand<BurnResult>('domains.burnCertificate');
      if (!r) return;
      notifyBurned(r, 'the domain certificate');
    });
}
