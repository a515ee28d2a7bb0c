/**
 * `<kw-user-qr mobile="+46…">`: User Details → "View QR" (manual: the user scans the QR code
 * from the CMS screen). Says first that the code holds the user's private keys; the image is
 * fetched only when asked for and dropped again on Hide or when the details close.
 */
import { LitElement, css, html, type PropertyValues } from 'lit';
import { baseStyles, notifyError, invoke } from '../../../src/shell/ui/index.js';
import type { UserQr } from '../tokens.js';

export class KwUserQr extends LitElement {
  static override properties = { mobile: { type: String }, qr: { state: true }, loading: { state: true } };
  static override styles = [
    baseStyles,
    css`
      :host { display: block; }
      .warning { border-left: 3px solid var(--kw-danger); padding-left: 0.6rem; }
      figure { margin: 0.5rem 0; text-align: center; }
      img { width: min(100%, 22rem); height: auto; image-rendering: pixelated; background: #fff; }
      figcaption { font-size: 0.9rem; color: var(--kw-muted); }
    `,
  ];
  declare mobile: string | undefined;
  declare qr: UserQr | undefined;
  declare loading: boolean;

  constructor() {
    super();
    this.mobile = undefined;
    this.qr = undefined;
    this.loading = false;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('mobile')) this.qr = undefined;
  }

  override disconnectedCallback(): void {
    this.qr = undefined;
    super.disconnectedCallback();
  }

  override render() {
    return html`<p class="warning hint" id="qr-warning">The initiation QR code contains the user’s private keys: show it only to the
        user, and only where no one else can see or photograph the screen.</p>
      ${this.qr
        ? html`<figure>
              <img id="qr-image" src=${this.qr.png} alt="Initiation QR code of ${this.mobile}" />
              <figcaption>Keys for ${this.qr.period}.${this.qr.protected ? ' Protected: the app asks for the QR code key above.' : ''}</figcaption>
            </figure>
            <button id="qr-hide" @click=${() => (this.qr = undefined)}>Hide QR</button>`
        : html`<button id="qr-view" ?disabled=${!this.mobile || this.loading} @click=${this.view}>View QR</button>`}`;
  }

  private view = async () => {
    const mobile = this.mobile;
    if (!mobile) return;
    this.loading = true;
    try {
      const qr = await invoke<UserQr>('letters.userQr', { mobile });
      if (this.mobile === mobile) this.qr = qr;
    } catch (err) {
      notifyError(err);
    } finally {
      this.loading = false;
    }
  };
}
