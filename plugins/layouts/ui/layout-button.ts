/**
 * `<kw-layout-button layout="letters.user-initiation">`: the manual's "Layout" button for any view
 * (users, gateways, domains). Opens the layout editor for that layout in a large modal dialog.
 */
import { LitElement, css, html } from 'lit';
import { baseStyles } from '../../../src/shell/ui/styles.js';

export class KwLayoutButton extends LitElement {
  static override properties = { layout: { type: String }, open: { state: true } };
  static override styles = [
    baseStyles,
    css`
      :host { display: inline-block; }
      dialog { width: min(80rem, 96vw); max-height: 94vh; border: 1px solid var(--kw-border); border-radius: var(--kw-radius);
               padding: 1.25rem 1.5rem; box-shadow: 0 10px 40px rgb(0 0 0 / 0.25); color: var(--kw-text); }
      dialog::backdrop { background: rgb(20 26 33 / 0.45); }
    `,
  ];
  declare layout: string;
  declare open: boolean;

  constructor() {
    super();
    this.layout = '';
    this.open = false;
  }

  override render() {
    return html`<button id="layout" part="button" @click=${this.show}>Layout</button>
      <dialog aria-label="Layout editor" @cancel=${this.onCancel}>
        ${this.open ? html`<kw-layout-editor layout-id=${this.layout} closable @close=${this.hide}></kw-layout-editor>` : null}
      </dialog>`;
  }

  private get dialog(): HTMLDialogElement {
    return this.renderRoot.querySelector('dialog')!;
  }

  private show = async () => {
    this.open = true;
    await this.updateComplete;
    this.dialog.showModal();
  };

  private hide = () => {
    this.dialog.close();
    this.open = false;
  };

  /** Escape goes through the editor's Close, which asks before unsaved changes are dropped. */
  private onCancel = (e: Event) => {
    e.preventDefault();
    void (this.renderRoot.querySelector('kw-layout-editor')?.renderRoot.querySelector<HTMLButtonElement>('#close'))?.click();
  };
}
