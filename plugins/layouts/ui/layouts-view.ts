/** `kw-layouts-view`: every layout of letters and certificates in one place, each with its Layout button. */
import { LitElement, css, html } from 'lit';
import { invoke } from '../../../src/shell/ui/bridge.js';
import { baseStyles } from '../../../src/shell/ui/styles.js';
import type { LayoutInfo } from '../tokens.js';

export class KwLayoutsView extends LitElement {
  static override properties = { layouts: { state: true }, editing: { state: true }, error: { state: true } };
  static override styles = [baseStyles, css`:host { display: block; } td.state { color: var(--kw-muted); }`];

  declare layouts?: LayoutInfo[];
  declare editing?: string;
  declare error?: string;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      this.layouts = await invoke<LayoutInfo[]>('layouts.list');
      this.error = undefined;
    } catch (err) {
      this.error = (err as Error).message;
    }
  }

  override render() {
    if (this.editing) {
      return html`<kw-layout-editor layout-id=${this.editing} closable @close=${this.back}></kw-layout-editor>`;
    }
    if (this.error) return html`<p class="error-text" role="alert">${this.error}</p>`;
    if (!this.layouts) return html`<p>Loading…</p>`;
    return html`
      <h2>Layouts</h2>
      <p class="muted">The letters and the domain certificate. Change their text or template with Layout; the manual's variables work in both.</p>
      <table>
        <thead><tr><th>Layout</th><th>State</th><th><span class="muted">Action</span></th></tr></thead>
        <tbody>
          ${this.layouts.map(
            (l) => html`<tr data-layout=${l.id}>
              <td>${l.label}</td>
              <td class="state">${l.custom ? 'Changed' : 'Default'}</td>
              <td><button class="layout" @click=${() => (this.editing = l.id)}>Layout</button></td>
            </tr>`,
          )}
        </tbody>
      </table>
    `;
  }

  private back = () => {
    this.editing = undefined;
    void this.load();
  };
}
