/**
 * Dialogs on the native <dialog> element (modal, focus kept inside, Escape closes),
 * and `confirm()` for destructive actions: it says what will happen and defaults to Cancel.
 */
import { LitElement, css, html, type PropertyValues } from 'lit';
import { baseStyles } from './styles.js';

/**
 * A modal dialog. Put content in the default slot and buttons in slot="actions".
 * Fires `close` with `detail` = the value passed to `close(value)` ('' on Escape).
 */
export class KwDialog extends LitElement {
  static override properties = { heading: { type: String }, open: { type: Boolean, reflect: true } };
  static override styles = [
    baseStyles,
    css`
      dialog { border: 1px solid var(--kw-border); border-radius: var(--kw-radius); padding: 1.5rem; max-width: min(36rem, 92vw);
               box-shadow: 0 10px 40px rgb(0 0 0 / 0.25); color: var(--kw-text); }
      dialog::backdrop { background: rgb(20 26 33 / 0.45); }
    `,
  ];
  declare heading: string;
  declare open: boolean;
  private returnValue = '';

  constructor() {
    super();
    this.heading = '';
    this.open = false;
  }

  /** Close the dialog, reporting `value` in the close event. */
  close(value = ''): void {
    this.returnValue = value;
    this.open = false;
  }

  protected override updated(changed: PropertyValues<this>): void {
    const dialog = this.renderRoot.querySelector('dialog')!;
    if (changed.has('open')) {
      if (this.open && !dialog.open) {
        this.returnValue = '';
        dialog.showModal();
      } else if (!this.open && dialog.open) dialog.close();
    }
  }

  override render() {
    return html`<dialog aria-labelledby="heading" @close=${this.onClose}>
      <h2 id="heading">${this.heading}</h2>
      <slot></slot>
      <div class="actions"><slot name="actions"></slot></div>
    </dialog>`;
  }

  private onClose = () => {
    this.open = false;
    this.dispatchEvent(new CustomEvent('close', { detail: this.returnValue }));
  };
}
customElements.define('kw-dialog', KwDialog);

export interface ConfirmOptions {
  title: string;
  /** What will happen, in plain words. */
  message: string;
  /** Further consequences, one per line (shown as a list). */
  details?: string[];
  /** Label of the confirming button (default "Confirm"). */
  confirmLabel?: string;
  /** Red confirming button for actions that destroy or replace data (default true). */
  destructive?: boolean;
}

/** The confirmation dialog `confirm()` shows (its own shadow DOM styles the buttons). */
export class KwConfirm extends LitElement {
  static override styles = [baseStyles, css`ul { margin: 0 0 0.75rem; padding-left: 1.25rem; }`];
  declare options: ConfirmOptions;
  declare resolve: (confirmed: boolean) => void;

  override render() {
    const o = this.options;
    return html`<kw-dialog .heading=${o.title} open @close=${this.onClose}>
      <p>${o.message}</p>
      ${o.details?.length ? html`<ul>${o.details.map((d) => html`<li>${d}</li>`)}</ul>` : null}
      <button slot="actions" id="cancel" @click=${() => this.dialog.close('cancel')}>Cancel</button>
      <button slot="actions" id="confirm" class=${o.destructive === false ? 'primary' : 'danger'} @click=${() => this.dialog.close('confirm')}>
        ${o.confirmLabel ?? 'Confirm'}
      </button>
    </kw-dialog>`;
  }

  protected override async firstUpdated(): Promise<void> {
    await this.dialog.updateComplete;
    // Safer default: Enter or Space right away cancels.
    this.renderRoot.querySelector<HTMLButtonElement>('#cancel')!.focus();
  }

  private get dialog(): KwDialog {
    return this.renderRoot.querySelector('kw-dialog')!;
  }

  private onClose = (e: CustomEvent<string>) => {
    this.remove();
    this.resolve(e.detail === 'confirm');
  };
}
customElements.define('kw-confirm', KwConfirm);

/** Ask before a destructive action. Resolves true only when the administrator confirms. */
export function confirm(options: ConfirmOptions): Promise<boolean> {
  return new Promise((resolve) => {
    const el = document.createElement('kw-confirm');
    el.options = options;
    el.resolve = resolve;
    document.body.append(el);
  });
}

declare global {
  interface HTMLElementTagNameMap {
    'kw-dialog': KwDialog;
    'kw-confirm': KwConfirm;
  }
}
