import { LitElement, css, html } from 'lit';
import { invoke } from '../../../src/shell/ui/bridge.js';
import { baseStyles } from '../../../src/shell/ui/styles.js';
import type { DomainShow } from '../tokens.js';

/** Hex in groups of four so an administrator can compare it aloud or on paper. */
export function groupHex(hex: string): string {
  return hex.toUpperCase().replace(/(.{4})(?=.)/g, '$1 ');
}

/** The Security Domain name and its public keys (KPAK and Z), read through `domain.show`. */
export class KwDomainView extends LitElement {
  static override properties = {
    info: { state: true },
    error: { state: true },
  };

  static override styles = [
    baseStyles,
    css`
      :host { display: block; }
      dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.5rem 1rem; margin: 0; }
      dt { font-weight: 600; }
      dd { margin: 0; overflow-wrap: anywhere; }
    `,
  ];

  declare info?: DomainShow;
  declare error?: string;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      this.info = await invoke<DomainShow>('domain.show');
      this.error = undefined;
    } catch (err) {
      this.error = (err as Error).message;
    }
  }

  override render() {
    if (this.error) return html`<p class="error-text" role="alert">${this.error}</p>`;
    if (!this.info) return html`<p>Loading…</p>`;
    return html`
      <h2>Security Domain</h2>
      <dl>
        <dt>Name</dt>
        <dd data-field="securityDomain">${this.info.securityDomain}</dd>
        <dt>ECCSI KPAK</dt>
        <dd class="mono" data-field="kpak">${groupHex(this.info.kpak)}</dd>
        <dt>SAKKE Z</dt>
        <dd class="mono" data-field="z">${groupHex(this.info.z)}</dd>
      </dl>
    `;
  }
}
